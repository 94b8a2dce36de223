import { STATUS_CODES } from 'node:http';
import { performance } from 'node:perf_hooks';
import { createMastercardFetch, type MastercardFetchOptions, unwrapToken } from '@mcapi/client';
import type { ApiProfile } from './api-profile.js';
import type { PreparedRequest } from './prepare-request.js';

/** What came back, decrypted when it was encrypted. */
export interface SentRequest {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  /** The body as received. */
  rawBody: string;
  /** The decrypted plaintext when the answer was a JWE wrapper, else the raw body. */
  body: string;
  decrypted: boolean;
  /** kid of the key that decrypted the answer. */
  kid?: string;
  timings: { roundTripMs: number; decryptMs?: number };
}

/** Options of {@link sendRequest}. */
export interface SendRequestOptions {
  /** Trusted roots (PEM), replacing the defaults. */
  ca?: string;
  timeoutMs: number;
  maxRetries: number;
}

/**
 * Sends a prepared request through `createMastercardFetch` (the client's transport, retry policy
 * and authorize step: a fresh signature per attempt), then decrypts a wrapped answer with the
 * response-decryption keys. Encryption already happened in {@link prepareRequest}, so the fetch
 * gets no encryption rules and sends the body bytes untouched.
 */
export async function sendRequest(prepared: PreparedRequest, profile: ApiProfile, mtls: MastercardFetchOptions['mtls'], options: SendRequestOptions): Promise<SentRequest> {
  const fetch = createMastercardFetch({
    ...(profile.auth === 'mtls' && mtls !== undefined ? { mtls } : {}),
    ...(options.ca === undefined ? {} : { ca: options.ca }),
    ...(prepared.authorizer === undefined ? {} : { authorizer: prepared.authorizer }),
    timeout: options.timeoutMs,
    maxRetries: options.maxRetries,
  });
  try {
    const start = performance.now();
    const response = await fetch(prepared.url, {
      method: prepared.method,
      headers: prepared.headers,
      ...(prepared.body === undefined ? {} : { body: prepared.body }),
    });
    const rawBody = await response.text();
    const roundTripMs = performance.now() - start;
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const result: SentRequest = { status: response.status, statusText: response.statusText || (STATUS_CODES[response.status] ?? ''), headers, rawBody, body: rawBody, decrypted: false, timings: { roundTripMs } };
    const token = prepared.crypto ? unwrapToken(profile.wrapper, rawBody) : undefined;
    if (token !== undefined && prepared.crypto) {
      const decryptStart = performance.now();
      const { plaintext, kid } = await prepared.crypto.decrypt(token);
      result.timings.decryptMs = performance.now() - decryptStart;
      result.body = plaintext;
      result.decrypted = true;
      if (kid !== undefined) result.kid = kid;
    }
    return result;
  } finally {
    await fetch.close();
  }
}
