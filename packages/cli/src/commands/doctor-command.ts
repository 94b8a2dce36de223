import { performance } from 'node:perf_hooks';
import { createMastercardFetch } from '@mcapi/client';
import { McapiError, isMcapiError } from '@mcapi/errors';
import type { KeyPurpose, LoadedKey } from '@mcapi/keys';
import { type CommandContext, type CommandOutput, type CommandSpec, text } from '../cli/command-spec.js';
import { exitCodes } from '../cli/exit-codes.js';
import { environmentOptions, keyOptions } from '../credentials/credential-options.js';
import { type Credentials, keyringDir, resolveCredentials } from '../credentials/resolve-credentials.js';
import { resolveEnvironment } from '../credentials/resolve-environment.js';
import { ms } from '../output/trace.js';
import { readCa, skewAgainst } from './request-command.js';

/** One finding of `mcapi doctor`. */
export interface DoctorCheck {
  name: string;
  status: 'ok' | 'warn' | 'fail' | 'skipped';
  detail: string;
}

const dayMs = 24 * 60 * 60 * 1000;
const expiryWarningDays = 30;
// OAuth 1.0a timestamps are checked against the gateway clock; the sandbox allows 300 s.
const skewWarnSeconds = 30;
const skewFailSeconds = 300;

// What each API needs from the keyring (client README, "What a call does").
const needs: Record<'bas' | 'cross-border', { purpose: KeyPurpose; required: boolean }[]> = {
  bas: [
    { purpose: 'mtls', required: true },
    { purpose: 'request-encryption', required: true },
    { purpose: 'response-decryption', required: true },
  ],
  'cross-border': [
    { purpose: 'signing', required: true },
    { purpose: 'request-encryption', required: false },
    { purpose: 'response-decryption', required: false },
  ],
};

export const doctorCommand: CommandSpec = {
  name: 'doctor',
  summary: 'check a keyring against an environment: keys present and matching, expiry, clock skew, TLS to each host',
  usage: 'doctor [--keyring DIR] [--env ENV] [--api bas|cross-border] [--ca FILE] [--offline] [--json]',
  positionals: { min: 0, max: 0, names: '' },
  options: {
    api: { type: 'string', value: 'API', description: 'check only what bas or cross-border needs (default: every API of the environment)' },
    offline: { type: 'boolean', description: 'skip the network checks (connectivity, TLS, clock skew)' },
    timeout: { type: 'string', value: 'MS', description: 'per-host timeout in ms (default 10000)' },
    ...keyOptions,
    ...environmentOptions,
  },
  examples: ['mcapi doctor --env sandbox', 'mcapi doctor --env production --keyring /etc/mcapi/keyring --offline --json'],
  async run(context: CommandContext): Promise<CommandOutput> {
    const { values } = context;
    const environment = resolveEnvironment(values);
    const api = text(values, 'api');
    if (api !== undefined && api !== 'bas' && api !== 'cross-border') throw new McapiError('ERR_CLI_USAGE', '--api must be bas or cross-border. See: mcapi doctor --help');
    const apis = (['bas', 'cross-border'] as const).filter((name) => (api === undefined || api === name) && (name === 'bas' ? environment.benefitAllocation : environment.crossBorder) !== undefined);
    const checks: DoctorCheck[] = [];
    let credentials: Credentials | undefined;
    try {
      credentials = await resolveCredentials(values, context.env, environment.keyEnvironment);
      checks.push(
        credentials.keyring
          ? { name: 'keyring', status: 'ok', detail: `${credentials.keyring.dir}: every active and previous key parsed, private keys match their certificates` }
          : { name: 'keyring', status: 'warn', detail: `no keyring at ${keyringDir(values, context.env).dir}: checking the explicit key options only` },
      );
    } catch (error) {
      checks.push({ name: 'keyring', status: 'fail', detail: isMcapiError(error) ? error.message : String(error) });
    }
    if (credentials) checks.push(...keyChecks(credentials, apis, context.now()));
    if (values.offline === true) checks.push({ name: 'network', status: 'skipped', detail: '--offline: connectivity, TLS and clock skew not checked' });
    else if (credentials) {
      const ca = await readCa(text(values, 'ca'));
      const timeoutMs = Number(text(values, 'timeout') ?? 10_000);
      for (const name of apis) {
        const base = (name === 'bas' ? environment.benefitAllocation : environment.crossBorder)!;
        checks.push(...(await hostChecks(name, base, name === 'bas' ? credentials.mtls : undefined, ca, timeoutMs, context.now)));
      }
    }
    const worst = checks.some((check) => check.status === 'fail') ? 'fail' : checks.some((check) => check.status === 'warn') ? 'warn' : 'ok';
    const mark = { ok: '✓', warn: '!', fail: '✗', skipped: '-' } as const;
    const lines = checks.map((check) => `${mark[check.status]} ${check.name.padEnd(34)} ${check.detail}`);
    lines.push('', worst === 'ok' ? 'All checks passed.' : worst === 'warn' ? 'Warnings only: see the lines marked !' : 'Problems found: see the lines marked ✗');
    return {
      exitCode: worst === 'fail' ? exitCodes.failure : worst === 'warn' ? exitCodes.warning : exitCodes.ok,
      text: lines.join('\n'),
      json: { environment: environment.name, keyEnvironment: environment.keyEnvironment, result: worst, checks },
    };
  },
};

function keyChecks(credentials: Credentials, apis: readonly ('bas' | 'cross-border')[], now: number): DoctorCheck[] {
  const checks: DoctorCheck[] = [];
  const env = credentials.keyEnvironment;
  const seen = new Set<KeyPurpose>();
  for (const name of apis) {
    for (const { purpose, required } of needs[name]) {
      if (seen.has(purpose)) continue;
      seen.add(purpose);
      const present = purpose === 'mtls' ? credentials.mtls : purpose === 'signing' ? credentials.signingKey : purpose === 'request-encryption' ? credentials.encryptionKey : decryptionCount(credentials) > 0 ? true : undefined;
      const check = `${purpose} key (${env})`;
      if (present === undefined) {
        checks.push({
          name: check,
          status: required ? 'fail' : 'warn',
          detail: `missing${required ? '' : ` (optional for ${name})`}: mcapi-keytool csr --purpose ${purpose} --environment ${env}, then import-cert and activate`,
        });
        continue;
      }
      if (purpose === 'signing' && credentials.consumerKey === undefined) {
        checks.push({ name: check, status: 'fail', detail: 'no consumer key: import the signing certificate with mcapi-keytool import-cert --consumer-key KEY' });
        continue;
      }
      const loaded = credentials.keyring ? activeEntry(credentials, purpose) : undefined;
      const certificate = loaded?.certificate ?? (purpose === 'mtls' && credentials.mtls && 'cert' in credentials.mtls ? credentials.mtls.cert[0] : undefined);
      const extra = purpose === 'signing' ? `, consumer key ${credentials.consumerKey}` : purpose === 'response-decryption' ? `, ${decryptionCount(credentials)} key(s) decrypting (active + previous)` : '';
      if (certificate === undefined) {
        checks.push({ name: check, status: 'ok', detail: `present${extra}` });
        continue;
      }
      const left = Math.floor((Date.parse(certificate.validTo) - now) / dayMs);
      const until = new Date(Date.parse(certificate.validTo)).toISOString().slice(0, 10);
      if (left < 0) checks.push({ name: check, status: 'fail', detail: `certificate expired on ${until}: rotate it (mcapi-keytool rotate --purpose ${purpose})${extra}` });
      else if (left < expiryWarningDays) checks.push({ name: check, status: 'warn', detail: `certificate expires in ${left} days (${until}): rotate it now (mcapi-keytool rotate --purpose ${purpose})${extra}` });
      else checks.push({ name: check, status: 'ok', detail: `valid until ${until} (${left} days)${extra}` });
    }
  }
  return checks;
}

function activeEntry(credentials: Credentials, purpose: KeyPurpose): LoadedKey | undefined {
  try {
    return credentials.keyring?.active(purpose, credentials.keyEnvironment);
  } catch {
    return undefined;
  }
}

function decryptionCount(credentials: Credentials): number {
  return credentials.decryptionKeys instanceof Map ? credentials.decryptionKeys.size : 1;
}

async function hostChecks(api: 'bas' | 'cross-border', base: string, mtls: Credentials['mtls'], ca: string | undefined, timeoutMs: number, now: () => number): Promise<DoctorCheck[]> {
  const host = new URL(base).host;
  const name = `${api === 'bas' ? 'Benefit Allocation' : 'Cross-Border'} ${host}`;
  const fetch = createMastercardFetch({ ...(mtls === undefined ? {} : { mtls }), ...(ca === undefined ? {} : { ca }), timeout: timeoutMs, maxRetries: 0 });
  try {
    const start = performance.now();
    // Any HTTP answer proves DNS, TCP, the server certificate (verified, never skipped) and, for
    // Benefit Allocation, that the client certificate was accepted in the handshake.
    const response = await fetch(base, { method: 'GET', headers: { accept: 'application/json' } });
    await response.arrayBuffer();
    const elapsed = performance.now() - start;
    const checks: DoctorCheck[] = [{ name, status: 'ok', detail: `TLS ${mtls ? 'with client certificate ' : ''}ok, HTTP ${response.status} in ${ms(elapsed)}` }];
    const skew = skewAgainst(response.headers.get('date') ?? undefined, now() - elapsed / 2);
    if (skew === undefined) checks.push({ name: `clock vs ${host}`, status: 'warn', detail: 'the server sent no Date header' });
    else {
      const size = Math.abs(skew);
      const direction = `${size} s ${skew >= 0 ? 'ahead of' : 'behind'} the server`;
      checks.push({
        name: `clock vs ${host}`,
        status: size >= skewFailSeconds ? 'fail' : size >= skewWarnSeconds ? 'warn' : 'ok',
        detail: size >= skewWarnSeconds ? `this machine is ${direction}: OAuth timestamps will be refused; sync the clock (NTP)` : `within ${size <= 1 ? '1 s' : `${size} s`} of the server's Date`,
      });
    }
    return checks;
  } catch (error) {
    const code = isMcapiError(error) ? error.code : 'ERR_CONNECTION';
    return [{ name, status: 'fail', detail: `${code}: ${isMcapiError(error) ? error.message : (error as Error).message}` }];
  } finally {
    await fetch.close();
  }
}
