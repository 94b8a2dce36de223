import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { parseErrorEnvelope } from '@mcapi/client';
import { McapiError, redact } from '@mcapi/errors';
import { type CommandContext, type CommandOutput, type CommandSpec, type OptionSpec, list, text, usage } from '../cli/command-spec.js';
import { exitCodes } from '../cli/exit-codes.js';
import { readInput } from '../cli/read-input.js';
import { environmentOptions, keyOptions, oauth2Options } from '../credentials/credential-options.js';
import { resolveCredentials } from '../credentials/resolve-credentials.js';
import { resolveEnvironment } from '../credentials/resolve-environment.js';
import { alignBaseStrings, explainSignatureFailure, type SignatureFailureCause } from '../diagnose/base-string-diff.js';
import { bodyValue, showBody } from '../output/show-body.js';
import { clip, createTrace, ms, shortenAuthorization, type Trace } from '../output/trace.js';
import { resolveTarget } from '../request/api-profile.js';
import { describeDpopProof } from '../request/oauth2-authorizer.js';
import { oauth2Settings } from '../request/oauth2-settings.js';
import { type AuthScheme, type PreparedRequest, prepareRequest } from '../request/prepare-request.js';
import { sendRequest } from '../request/send-request.js';

/** Options shared by `request` and `sign`: what the request is and how it is built. */
export const requestOptions: Record<string, OptionSpec> = {
  data: { type: 'string', short: 'd', value: 'JSON|@FILE|-', description: 'JSON body: inline, @file or - for stdin (numbers kept exactly)' },
  header: { type: 'string', short: 'H', value: "'K: V'", description: 'extra request header (repeatable)', multiple: true },
  api: { type: 'string', value: 'API', description: 'bas | cross-border | auto (default: from the path; /loyalty/benefits is Benefit Allocation)' },
  auth: { type: 'string', value: 'SCHEME', description: 'Cross-Border: oauth1 (default) | request-token | oauth2 (FAPI 2.0: private_key_jwt + DPoP)' },
  plain: { type: 'boolean', description: 'Cross-Border: send the body unencrypted (Benefit Allocation always encrypts)' },
  'show-pan': { type: 'boolean', description: 'show card numbers in full (masked to first 6 / last 4 by default)' },
  verbose: { type: 'boolean', short: 'v', description: 'print every step on stderr: plaintext, JWE header, base string, Authorization (signature shortened), response headers, decrypted body, timings' },
  ...keyOptions,
  ...oauth2Options,
  ...environmentOptions,
};

export const requestCommand: CommandSpec = {
  name: 'request',
  summary: 'send one request as @mcapi/client would (sign, encrypt, decrypt) and print the answer',
  usage: 'request METHOD URL [--data JSON|@file|-] [-H "K: V"]… [--keyring DIR] [--env ENV] [--ca FILE] [--json] [-v]',
  positionals: { min: 2, max: 2, names: 'METHOD and URL' },
  options: {
    ...requestOptions,
    timeout: { type: 'string', value: 'MS', description: 'per-attempt timeout in ms (default 60000)' },
    retries: { type: 'string', value: 'N', description: "retries of safe failures, the client's policy (default 0: one attempt, nothing hidden)" },
  },
  examples: [
    "mcapi request POST https://127.0.0.1:8443/loyalty/benefits/card-segments --ca sandbox-ca.pem -d '{\"cardNumber\":5291070000000000123,\"segments\":[{\"code\":\"DART\",\"effectiveDate\":\"2026-12-04\"}]}'",
    'mcapi request GET /send/v1/partners/SANDBOX_1234567/crossborder/payment?ref=08123456789ACFQ --env sandbox -v',
    'mcapi request POST /send/v1/partners/P1/crossborder/quotes -d @quote.json --json',
    'mcapi request GET /send/v1/partners/P1/crossborder?ref=0999 --cross-border-url https://127.0.0.1:8445 --ca sandbox-ca.pem --auth oauth2 --client-id my-client -v',
  ],
  run: runRequest,
};

async function runRequest(context: CommandContext): Promise<CommandOutput> {
  const { values, positionals } = context;
  const [methodArgument, target] = positionals as [string, string];
  const method = methodArgument.toUpperCase();
  if (!/^[A-Z]+$/.test(method)) throw usage('request', `METHOD must be an HTTP method such as GET or POST (got ${methodArgument}).`);
  const showPan = values['show-pan'] === true;
  const trace = createTrace(context.stderr, context.verbose);
  const total = performance.now();
  const built = await buildRequest(context, 'request', method, target, trace, showPan);
  try {
    return await sendAndShow(context, built, trace, showPan, total);
  } finally {
    await built.prepared.oauth2?.close();
  }
}

async function sendAndShow(context: CommandContext, built: Awaited<ReturnType<typeof buildRequest>>, trace: Trace, showPan: boolean, total: number): Promise<CommandOutput> {
  const { values } = context;
  const { prepared, profile, credentials, method } = built;
  const ca = await readCa(text(values, 'ca'));
  const timeoutMs = positiveNumber(text(values, 'timeout'), 60_000, '--timeout');
  const maxRetries = positiveNumber(text(values, 'retries'), 0, '--retries');
  trace(`${method} ${prepared.url.href}`, Object.entries(redact(prepared.headers)).map(([name, value]) => `${name}: ${value}`).join('\n'));
  const sent = await sendRequest(prepared, profile, credentials.mtls, { ...(ca === undefined ? {} : { ca }), timeoutMs, maxRetries });
  const receivedAt = context.now();
  for (const call of prepared.oauth2?.tokenCalls ?? []) {
    trace(`token request ${call.method} ${call.url} → ${call.status}${call.error === undefined ? '' : ` ${call.error}`} in ${ms(call.ms)}`);
  }
  for (const [index, signature] of prepared.signatures.entries()) {
    const attempt = prepared.signatures.length > 1 ? ` (attempt ${index + 1})` : '';
    if (signature.baseString !== undefined) trace(`signature base string${attempt}`, signature.baseString);
    trace(`Authorization${attempt}`, shortenAuthorization(signature.authorization));
    if (signature.dpop !== undefined) trace(`DPoP proof${attempt} (header and claims; signature not shown)`, describeDpopProof(signature.dpop));
  }
  trace(`HTTP ${sent.status} ${sent.statusText} in ${ms(sent.timings.roundTripMs)}`, Object.entries(redact(sent.headers)).map(([name, value]) => `${name}: ${value}`).join('\n'));
  if (sent.decrypted) trace(`decrypted body (kid ${sent.kid ?? '?'}) in ${ms(sent.timings.decryptMs)}`, showBody(sent.body, showPan));
  const totalMs = performance.now() - total;
  const timings = {
    encryptMs: prepared.timings.encryptMs,
    roundTripMs: sent.timings.roundTripMs,
    decryptMs: sent.timings.decryptMs,
    totalMs,
  };
  trace(`timings: encrypt ${ms(timings.encryptMs)}, round trip (sign + send + receive) ${ms(timings.roundTripMs)}, decrypt ${ms(timings.decryptMs)}, total ${ms(totalMs)}`);

  const clockSkewSeconds = skewAgainst(sent.headers.date, receivedAt);
  const diagnosis = sent.status !== 401 ? undefined : built.auth === 'oauth2' ? diagnoseOAuth2(sent.headers['www-authenticate']) : diagnose(sent.body, prepared, clockSkewSeconds);
  const exitCode = sent.status >= 400 ? exitCodes.warning : exitCodes.ok;
  const summary = `HTTP ${sent.status} ${sent.statusText}${sent.decrypted ? ` (decrypted, kid ${short(sent.kid)})` : ''} in ${ms(totalMs)}`;
  context.stderr.write(`${summary}\n`);
  if (diagnosis) context.stderr.write(`${diagnosis.text}\n`);
  return {
    exitCode,
    text: showBody(sent.body, showPan),
    json: {
      status: sent.status,
      api: profile.name,
      headers: redact(sent.headers),
      decrypted: sent.decrypted,
      ...(sent.kid === undefined ? {} : { kid: sent.kid }),
      body: bodyValue(sent.body, showPan),
      timings: Object.fromEntries(Object.entries(timings).filter(([, value]) => value !== undefined).map(([name, value]) => [name, Math.round((value as number) * 10) / 10])),
      ...(clockSkewSeconds === undefined ? {} : { clockSkewSeconds }),
      ...(diagnosis ? { diagnosis: diagnosis.json } : {}),
    },
  };
}

/** Shared by `request` and `sign`: target, credentials, body, and the prepared request (traced). */
export async function buildRequest(context: CommandContext, command: string, method: string, target: string, trace: Trace, showPan: boolean) {
  const { values } = context;
  const environment = resolveEnvironment(values);
  const { url, profile } = resolveTarget(target, text(values, 'api') ?? 'auto', environment);
  const auth = text(values, 'auth') ?? 'oauth1';
  if (auth !== 'oauth1' && auth !== 'request-token' && auth !== 'oauth2') throw usage(command, '--auth must be oauth1, request-token or oauth2.');
  if (auth === 'oauth2' && command === 'sign') {
    throw usage(command, 'OAuth 2.0 requests carry an access token from the token endpoint, not a signature: use mcapi request --auth oauth2 -v to see the token request and the DPoP proof.');
  }
  if (auth === 'oauth2' && profile.auth !== 'oauth') {
    throw usage(command, 'Benefit Allocation authenticates with mutual TLS; --auth oauth2 is for Cross-Border.');
  }
  const credentials = await resolveCredentials(values, context.env, environment.keyEnvironment);
  const oauth2 = auth === 'oauth2' ? oauth2Settings(values, url, credentials, { ca: await readCa(text(values, 'ca')), timeoutMs: positiveNumber(text(values, 'timeout'), 60_000, '--timeout') }) : undefined;
  const data = await readInput(text(values, 'data'), context.stdin, '--data');
  const headers: Record<string, string> = {};
  for (const header of list(values, 'header')) {
    const at = header.indexOf(':');
    if (at <= 0) throw usage(command, `--header takes "Name: value" (got ${header}).`);
    const name = header.slice(0, at).trim().toLowerCase();
    if (name === 'authorization') throw usage(command, '--header authorization is not taken: the request is signed from the keyring or the key options.');
    headers[name] = header.slice(at + 1).trim();
  }
  let prepared: PreparedRequest;
  try {
    prepared = await prepareRequest({
      method,
      url,
      profile,
      ...(data === undefined ? {} : { data }),
      headers,
      credentials,
      auth: auth as AuthScheme,
      encrypt: values.plain !== true,
      ...(oauth2 === undefined ? {} : { oauth2 }),
    });
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_JSON_INVALID') throw usage(command, `--data is not valid JSON: ${(error as Error).message}`);
    throw error;
  }
  const scheme = auth === 'oauth1' ? 'OAuth 1.0a' : auth === 'request-token' ? 'request token' : `OAuth 2.0 (FAPI 2.0: client ${oauth2?.clientId}, private_key_jwt kid ${oauth2?.kid}, DPoP; token endpoint ${oauth2?.tokenEndpoint})`;
  trace(`${profile.name === 'bas' ? 'Benefit Allocation: mutual TLS' : `Cross-Border: ${scheme}`}, keys for ${environment.keyEnvironment}${credentials.keyring ? ` from ${credentials.keyring.dir}` : ''}`);
  if (prepared.plaintext !== undefined) trace(`plaintext body (${Buffer.byteLength(prepared.plaintext)} bytes)`, showBody(prepared.plaintext, showPan));
  if (prepared.jweHeader) trace(`JWE protected header (encrypted in ${ms(prepared.timings.encryptMs)})`, JSON.stringify(prepared.jweHeader));
  if (prepared.body !== undefined && prepared.body !== prepared.plaintext) trace(`body sent (${Buffer.byteLength(prepared.body)} bytes)`, clip(prepared.body));
  return { prepared, profile, credentials, environment, auth, method };
}

// A 401 on an OAuth 2.0 call has no base string to compare: the WWW-Authenticate error says
// which part was refused (RFC 6750 §3.1, RFC 9449 §7.1).
function diagnoseOAuth2(challenge: string | undefined): { text: string; json: { cause: { kind: string; message: string }; wwwAuthenticate?: string } } {
  const error = challenge === undefined ? undefined : /error="([^"]*)"/.exec(challenge)?.[1];
  const causes: Record<string, string> = {
    invalid_token: 'the access token was refused: expired, issued to a client since removed, or for another server. A new run asks for a new token.',
    invalid_dpop_proof: 'the DPoP proof was refused: signed by another key than the token is bound to, for another method or URL (htm/htu), or with a clock outside the window.',
    use_dpop_nonce: 'the server wants its DPoP nonce in the proof: retry (the client takes the nonce from the DPoP-Nonce header).',
  };
  const message = (error !== undefined ? causes[error] : undefined) ?? 'the gateway refused the OAuth 2.0 credentials; check the client id, its registered key (kid) and the issuer.';
  return {
    text: `401: the gateway refused the OAuth 2.0 credentials${challenge === undefined ? '' : ` (WWW-Authenticate: ${challenge})`}.\nLikely cause: ${message}`,
    json: { cause: { kind: error ?? 'oauth2', message }, ...(challenge === undefined ? {} : { wwwAuthenticate: challenge }) },
  };
}

function diagnose(body: string, prepared: PreparedRequest, clockSkewSeconds: number | undefined): { text: string; json: { cause: SignatureFailureCause; ours?: string; theirs?: string; source?: string } } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = undefined;
  }
  const errors = parseErrorEnvelope(parsed);
  const marker = 'Acceptable signature base string:';
  let theirs: string | undefined;
  for (const error of errors) {
    for (const candidate of [error.description, typeof error.details === 'string' ? error.details : undefined]) {
      const at = candidate?.indexOf(marker) ?? -1;
      if (candidate !== undefined && at >= 0) theirs = candidate.slice(at + marker.length).trim();
    }
  }
  const ours = prepared.signatures.at(-1)?.baseString;
  const source = errors[0]?.source;
  const cause = explainSignatureFailure({
    ...(ours === undefined ? {} : { ours }),
    ...(theirs === undefined ? {} : { theirs }),
    ...(source === undefined ? {} : { source }),
    ...(clockSkewSeconds === undefined ? {} : { clockSkewSeconds }),
  });
  const lines = ['401: the gateway refused the credentials.'];
  if (ours !== undefined && theirs !== undefined) {
    lines.push(ours === theirs ? 'Signature base strings, ours and the one the gateway accepts (identical):' : 'Signature base strings, ours and the one the gateway accepts:');
    lines.push(...alignBaseStrings(ours, theirs));
  }
  lines.push(`Likely cause: ${cause.message}`);
  return {
    text: lines.join('\n'),
    json: { cause, ...(ours === undefined ? {} : { ours }), ...(theirs === undefined ? {} : { theirs }), ...(source === undefined ? {} : { source }) },
  };
}

/** Our clock minus the server's `Date` header, in whole seconds (Date has one-second resolution). */
export function skewAgainst(date: string | undefined, localMs: number): number | undefined {
  if (date === undefined) return undefined;
  const server = Date.parse(date);
  return Number.isNaN(server) ? undefined : Math.round((localMs - server) / 1000);
}

export async function readCa(file: string | undefined): Promise<string | undefined> {
  if (file === undefined) return undefined;
  try {
    return await readFile(file, 'utf8');
  } catch (cause) {
    throw new McapiError('ERR_CLI_USAGE', `Cannot read --ca ${file} (${(cause as NodeJS.ErrnoException).code ?? 'error'}).`, { cause });
  }
}

function positiveNumber(value: string | undefined, fallback: number, option: string): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw new McapiError('ERR_CLI_USAGE', `${option} takes a whole number (got ${value}).`);
  return Number(value);
}

const short = (kid: string | undefined) => (kid === undefined ? '?' : `${kid.slice(0, 12)}…`);
