import type { QuoteRecord } from './cross-border-state.js';
import { camelCaseKeys } from './wire-format.js';

/**
 * The `quote` member of Retrieve Confirmed Quote, also the `quote` of a Status Change Push
 * (api-facts §2.6.12): proposal id, confirm / cancel status, expiry, payment type, proposals.
 */
export function quoteStatusBody(quote: QuoteRecord, proposalId: string): Record<string, unknown> {
  const body: Record<string, unknown> = { proposalId };
  if (quote.confirmStatus) body.confirmStatus = { ...quote.confirmStatus };
  if (quote.cancelStatus) body.cancelStatus = { ...quote.cancelStatus };
  const latest = quote.cancelStatus ?? quote.confirmStatus;
  if (latest) body.statusTimestamp = latest.statusTimestamp;
  if (quote.paymentSubmissionExpiryTime) body.paymentSubmissionExpiryTime = quote.paymentSubmissionExpiryTime;
  body.paymentType = quote.paymentType;
  body.proposals = quote.proposals.map((proposal) => camelCaseKeys(proposal.wire));
  return body;
}
