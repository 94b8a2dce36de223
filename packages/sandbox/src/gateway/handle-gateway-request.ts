import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseJsonLossless, stringifyJsonLossless } from '@mcapi/jwe';
import type { JweCodec } from '../crypto/jwe-codec.js';
import type { SandboxKeys } from '../crypto/sandbox-keys.js';
import type { DashboardLookups } from '../dashboard/dashboard.js';
import { BodyTooLargeError, MAX_BODY_BYTES, readBody } from '../http/body.js';
import { parseRequestTarget } from '../http/request-target.js';
import { isReplayStoreFull } from '../replay.js';
import type { ServiceNotification, ServiceResponse } from '../service-types.js';
import type { FaultEffects, FaultInjector } from './faults.js';
import type { GatewayProfile } from './gateway-types.js';
import { type RequestLog, type RequestLogEntry, loggedBody } from './request-log.js';
import { corruptJwe } from './corrupt-jwe.js';
import { type VerificationStep, checkSteps } from './verification-steps.js';

/** What every gateway request needs. */
export interface GatewayContext {
  keys: SandboxKeys;
  dashboard: DashboardLookups;
  codec: JweCodec;
  faults: FaultInjector;
  log: RequestLog;
  now: () => number;
  stateChanged: () => void;
  /** Delivers push notifications the operations raise (the webhook sender); absent: dropped. */
  notify?: (notification: ServiceNotification) => void;
  /** The fingerprint of the client certificate a connection presented, if its listener asked for one. */
  clientCertificateOf?: (socket: TLSSocket) => string | undefined;
}

type LogDraft = Omit<RequestLogEntry, 'id' | 'time'>;

/**
 * The gateway pipeline: read → authenticate → faults → route → decrypt → service → encrypt →
 * write, logging one line per request. Error responses are never encrypted (api-facts §2.3).
 */
export async function handleGatewayRequest(
  context: GatewayContext,
  profile: GatewayProfile,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const started = performance.now();
  const method = request.method ?? 'GET';
  const url = parseRequestTarget(request);
  const draft: LogDraft = {
    listener: profile.listener,
    method,
    // The log redacts paths, so even an unparseable target may appear as received.
    path: url ? url.pathname + url.search : (request.url ?? ''),
    auth: 'none',
    decryption: 'none',
    response: 'none',
    status: 0,
    durationMs: 0,
    steps: [],
  };
  const presented = context.clientCertificateOf?.(request.socket as TLSSocket);
  const step = (check: string, result: 'passed' | 'failed' | 'skipped', detail?: string) => {
    draft.steps.push(detail === undefined ? { check, result } : { check, result, detail });
  };
  const finish = (result: ServiceResponse, effects?: FaultEffects, encrypted?: { body: string; plaintext: string; kid: string }) => {
    draft.status = result.status;
    const reasonCode = result.error ? reasonCodeOf(result.body) : undefined;
    if (reasonCode !== undefined) draft.reasonCode = reasonCode;
    const headers: Record<string, string> = { ...result.headers };
    let payload: string | undefined;
    if (encrypted) {
      payload = encrypted.body;
      Object.assign(headers, profile.encryptedResponseHeaders);
      draft.response = 'encrypted';
      draft.responseBody = loggedBody(encrypted.plaintext);
      step('response encrypted', 'passed', `to the project's active response key, kid ${encrypted.kid}`);
    } else if (result.body !== undefined) {
      // Lossless: amounts and ids echoed from the request keep their exact text.
      payload = stringifyJsonLossless(result.body);
      draft.response = 'plaintext';
      draft.responseBody = loggedBody(payload);
    }
    if (result.status === 503 || result.status === 429) headers['retry-after'] = String(effects?.retryAfterSeconds ?? 1);
    draft.durationMs = Math.round((performance.now() - started) * 100) / 100;
    context.log.append(draft);
    write(response, result.status, headers, payload, effects?.reset === true);
  };

  if (!url) {
    // Answered before the body is read: Node drains it, and nothing may parse this target.
    draft.auth = 'failed: malformed request target';
    return finish(profile.errors.malformedTarget());
  }

  let bytes: Buffer;
  try {
    bytes = await readBody(request, profile.maxBodyBytes?.(method, url.pathname, MAX_BODY_BYTES) ?? MAX_BODY_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return finish(profile.errors.tooLarge());
    throw error;
  }

  // On a listener that asked for one, the client certificate comes first: the handshake refused
  // a missing or foreign one; a certificate revoked since then is refused here, on connections
  // already open too (whatever else authenticates the request).
  if (presented !== undefined) {
    draft.clientCertificate = presented;
    if (context.dashboard.projectForClientCertificate(presented) === undefined) {
      draft.auth = 'failed: unknown client certificate';
      draft.steps.push(...clientCertificateSteps(false));
      return finish(profile.errors.unknownClientCertificate());
    }
    draft.steps.push(...clientCertificateSteps(true));
  }

  let auth: Awaited<ReturnType<GatewayProfile['authenticate']>>;
  try {
    auth = await profile.authenticate(request, bytes, url);
  } catch (error) {
    // The replay store refuses to forget values still inside their window: fail closed, 503.
    if (!isReplayStoreFull(error)) throw error;
    draft.auth = 'failed: replay store full';
    step('one-time value recorded', 'failed', 'the replay store is full: refused rather than forgotten');
    return finish(profile.errors.fault(503));
  }
  if (auth.steps) draft.steps.push(...auth.steps);
  if (!auth.ok) {
    draft.auth = `failed: ${auth.reason}`;
    if (!auth.steps) step('authentication', 'failed', auth.reason);
    return finish(auth.response);
  }
  draft.auth = auth.method;
  draft.project = auth.project;
  if (auth.credential !== undefined) draft.credential = auth.credential;
  if (!auth.steps) step(`authentication (${auth.method})`, 'passed', `project ${auth.project}`);

  const effects = context.faults.match(profile.listener, method, url.pathname);
  if (effects) {
    draft.fault = effects.description;
    step('fault rule applied', 'passed', effects.description);
    if (effects.latencyMs > 0) await sleep(effects.latencyMs);
    if (effects.status !== undefined) return finish(profile.errors.fault(effects.status), effects);
  }

  const route = profile.route(method, url.pathname);
  if (!('handler' in route)) return finish(route, effects);

  let parsed: unknown;
  let requestWasEncrypted = false;
  if (bytes.length > 0) {
    const text = bytes.toString('utf8');
    draft.requestBody = loggedBody(text);
    try {
      parsed = parseBody(text);
    } catch {
      step('body is JSON', 'failed');
      return finish(profile.errors.malformedBody(), effects);
    }
    const location = profile.locateJwe(parsed, request);
    if (location.kind === 'malformed') {
      draft.decryption = 'failed';
      step('request payload decrypted', 'failed', 'the encrypted payload wrapper is malformed');
      return finish(profile.errors.decryptionFailed(), effects);
    }
    if (location.kind === 'encrypted') {
      try {
        const { plaintext, kid } = await context.codec.decrypt(location.token, context.keys.requestDecryptionKeys);
        if (kid !== undefined) draft.requestKid = kid;
        // What the service reads, not the JWE, is what someone debugging a request needs to see.
        draft.requestBody = loggedBody(plaintext);
        parsed = parseBody(plaintext);
        requestWasEncrypted = true;
        draft.decryption = 'encrypted';
        step('request payload decrypted', 'passed');
      } catch {
        draft.decryption = 'failed';
        step('request payload decrypted', 'failed', 'one uniform answer: no detail is given to the caller');
        return finish(profile.errors.decryptionFailed(), effects);
      }
    } else if (profile.requiresEncryption(method, route.path)) {
      draft.decryption = 'required';
      step('request payload encrypted', 'failed', 'this operation requires an encrypted payload');
      return finish(profile.errors.encryptionRequired(), effects);
    } else {
      draft.decryption = 'plaintext';
      step('request payload encrypted', 'skipped', 'plaintext body accepted: encryption is optional on this operation');
    }
  }

  const result = route.handler({
    method,
    path: route.path,
    params: route.params,
    query: url.searchParams,
    body: parsed,
    project: auth.project,
    now: context.now(),
    headers: headersOf(request),
    ...(context.notify === undefined ? {} : { notify: context.notify }),
  });
  if (!result.error) context.stateChanged();

  if (!result.error && result.body !== undefined && profile.wantsEncryptedResponse(request, requestWasEncrypted)) {
    const key = context.dashboard.responseKey(auth.project);
    if (key) {
      const plaintext = stringifyJsonLossless(result.body);
      let token = await context.codec.encrypt(plaintext, key.certificate, key.kid);
      if (effects?.corruptJwe) token = corruptJwe(token);
      return finish(result, effects, { body: JSON.stringify(profile.wrapJwe(token)), plaintext, kid: key.kid });
    }
    step('response encrypted', 'skipped', 'the project has no active response-decryption key: sent in plaintext');
  }
  return finish(result, effects);
}

function write(response: ServerResponse, status: number, headers: Record<string, string>, payload: string | undefined, reset: boolean) {
  const bytes = payload === undefined ? undefined : Buffer.from(payload, 'utf8');
  if (bytes) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(bytes.length);
  }
  response.writeHead(status, headers);
  if (reset) {
    // Headers and half the body reach the client, then the connection ends, as when a load
    // balancer drops it mid-response. A FIN, not a TCP reset: a reset can make the client's
    // kernel discard the half answer unread, and a client that saw no byte cannot tell that from
    // a refused handshake. This way every client sees the same thing: a response cut off mid-body.
    response.write(bytes ? bytes.subarray(0, Math.floor(bytes.length / 2)) : ' ');
    const socket = response.socket;
    setImmediate(() => {
      socket?.once('finish', () => socket.destroy());
      socket?.end();
    });
    return;
  }
  response.end(bytes);
}

// The checks of a client certificate, in order; the first is the TLS handshake's own.
const CLIENT_CERTIFICATE_CHECKS = ['client certificate from the sandbox CA', 'certificate registered on the dashboard'];

function clientCertificateSteps(registered: boolean): VerificationStep[] {
  return registered
    ? checkSteps(CLIENT_CERTIFICATE_CHECKS)
    : checkSteps(CLIENT_CERTIFICATE_CHECKS, { check: 'certificate registered on the dashboard', detail: 'revoked on the dashboard, or issued by another sandbox' });
}

function headersOf(request: IncomingMessage): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(request.headers)) out[name] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

function reasonCodeOf(body: unknown): string | undefined {
  const error = (body as { Errors?: { Error?: Array<{ ReasonCode?: string }> } } | undefined)?.Errors?.Error?.[0];
  return error?.ReasonCode;
}

// BAS sends card numbers as JSON numbers (api-facts §1.3): integer literals of 16+ digits arrive
// as exact digit strings, so a 19-digit PAN keeps every digit and validation sees one type.
function parseBody(text: string): unknown {
  return parseJsonLossless(text, { longIntegers: 'string' });
}
