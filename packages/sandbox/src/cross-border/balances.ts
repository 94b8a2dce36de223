import { crossBorderError } from '../envelopes/cross-border-error.js';
import type { ServiceRequest, ServiceResponse } from '../service-types.js';
import { timestamp } from './wire-format.js';

// Balance API (api-facts §2.6.7) with the sandbox account ids of §2.11: `acct_ssq` has a queued
// balance, `acct++@bc` → 082000, ids over 30 characters → 072000, `ERR_130192`/`ERR_130193`.

interface Account {
  accountId: string;
  settlementCurrency: string;
  accountState: string;
  queued: boolean;
}

const accounts: Account[] = [
  { accountId: 'acct_1001', settlementCurrency: 'USD', accountState: 'ACTIVE', queued: false },
  { accountId: 'acct_ssq', settlementCurrency: 'USD', accountState: 'ACTIVE', queued: true },
];

const amount = (value: string, currency: string) => ({ amount: value, currency });

function render(account: Account, includeBalance: boolean, now: number): Record<string, unknown> {
  const out: Record<string, unknown> = {
    accountId: account.accountId,
    settlementCurrency: account.settlementCurrency,
    accountState: account.accountState,
  };
  if (!includeBalance) return out;
  const currency = account.settlementCurrency;
  out.openingBalanceTimestamp = '08:00:00-04:00';
  out.balanceAsOfTimestamp = timestamp(now);
  out.balanceDetails = {
    openingBalance: amount('15000.57', currency),
    processedAmount: amount('-600.00', currency),
    reservedBalance: amount('22.06', currency),
    availableBalance: amount('14378.51', currency),
    settlementAccountBalance: amount('15000.57', currency),
    thresholdAmount: amount('1000.00', currency),
    ...(account.queued && { queuedBalance: amount('250.00', currency) }),
  };
  return out;
}

function includeBalance(request: ServiceRequest): boolean | ServiceResponse {
  const value = request.query.get('include_balance');
  if (value === null || value === 'false') return false;
  if (value === 'true') return true;
  return crossBorderError('082000', 'include_balance', { method: 'GET' });
}

/** GET /send/partners/{partner-id}/crossborder/accounts */
export function listAccounts(request: ServiceRequest): ServiceResponse {
  const include = includeBalance(request);
  if (typeof include !== 'boolean') return include;
  return { status: 200, body: accounts.map((account) => render(account, include, request.now)) };
}

/** GET /send/partners/{partner-id}/crossborder/accounts/{account_id} */
export function getAccount(request: ServiceRequest): ServiceResponse {
  const include = includeBalance(request);
  if (typeof include !== 'boolean') return include;
  const id = request.params.accountId ?? '';
  if (id.length > 30) return crossBorderError('072000', 'account_id', { method: 'GET' });
  if (id === 'ERR_130192') return crossBorderError('130192', 'account_id', { method: 'GET' });
  if (id === 'ERR_130193') return crossBorderError('130193', 'account_id', { method: 'GET' });
  if (!/^[A-Za-z0-9_-]+$/.test(id)) return crossBorderError('082000', 'account_id', { method: 'GET' });
  const account = accounts.find((candidate) => candidate.accountId === id);
  if (!account) return crossBorderError('110507', 'account_id', { method: 'GET' });
  return { status: 200, body: render(account, include, request.now) };
}
