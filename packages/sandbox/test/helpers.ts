import { type KeyObject, X509Certificate } from 'node:crypto';
import { createCsr, generateRsaKeyPair } from '@mcapi/keytool';
import { decrypt, encrypt } from '@mcapi/jwe';
import { Agent, request } from 'undici';
import type { Sandbox } from '../src/index.js';

/** A key pair with a certificate issued by the sandbox dashboard. */
export interface Identity {
  privateKey: KeyObject;
  privateKeyPem: string;
  certificate: string;
  id: string;
  fingerprint: string;
}

// RSA key generation dominates test time on a busy machine: identities take turns over a small
// pool, so consecutive identities still have distinct keys.
const pool: Array<Promise<KeyObject>> = [];
let turn = 0;
function pooledKey(): Promise<KeyObject> {
  const index = turn++ % 4;
  pool[index] ??= generateRsaKeyPair(2048).then((pair) => pair.privateKey);
  return pool[index];
}

/** Generates a key, sends its CSR to the dashboard, returns key + certificate. */
export async function issueIdentity(
  sandbox: Sandbox,
  purpose: 'mtls' | 'response-decryption',
  project?: string,
): Promise<Identity> {
  const privateKey = await pooledKey();
  const csr = createCsr({ privateKey, subject: { CN: `${Date.now()}-Client-MTF-000000`, O: 'Test Co' } });
  const issued = sandbox.dashboard.signCsr({ csr, purpose, ...(project !== undefined && { project }) });
  return {
    privateKey,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    certificate: issued.certificate,
    id: issued.id,
    fingerprint: issued.fingerprint,
  };
}

/** An undici agent presenting `identity` (or no certificate) and trusting the sandbox CA. */
export function mtlsAgent(sandbox: Sandbox, identity?: { certificate: string; privateKeyPem: string }, connections = 4): Agent {
  return new Agent({
    connections,
    connect: {
      ca: sandbox.caCertificate,
      ...(identity && { cert: identity.certificate, key: identity.privateKeyPem }),
    },
  });
}

/** Encrypts a JSON text to the sandbox request-encryption certificate with @mcapi/jwe. */
export function encryptFor(sandbox: Sandbox, value: string): Promise<string> {
  return encrypt(value, { key: new X509Certificate(sandbox.requestEncryptionCertificate) });
}

/** Decrypts a response JWE with the given private key; returns the plaintext and header kid. */
export async function decryptWith(token: string, privateKey: KeyObject): Promise<{ text: string; kid: string | undefined }> {
  const { plaintext, header } = await decrypt(token, { keys: privateKey });
  return { text: new TextDecoder().decode(plaintext), kid: header.kid };
}

/** A raw HTTP response. */
export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: () => unknown;
}

/** Sends one request with undici and reads the whole body. */
export async function send(
  url: string,
  options: { method?: string; body?: string; headers?: Record<string, string>; dispatcher?: Agent },
): Promise<RawResponse> {
  const response = await request(url, {
    method: (options.method ?? 'GET') as 'GET',
    ...(options.body !== undefined && { body: options.body }),
    headers: { 'content-type': 'application/json', accept: 'application/json', ...options.headers },
    ...(options.dispatcher && { dispatcher: options.dispatcher }),
  });
  const text = await response.body.text();
  return { status: response.statusCode, headers: response.headers, text, json: () => JSON.parse(text) };
}

/** One error of a Cross-Border (or BAS) error envelope. */
export type EnvelopeError = { Source: string; ReasonCode: string; Description: string; Details?: { Detail: Array<{ Value: string }> } };

/** The first error of a Mastercard error envelope `{ Errors: { Error: [...] } }`. */
export const firstEnvelopeError = (value: unknown): EnvelopeError => (value as { Errors: { Error: EnvelopeError[] } }).Errors.Error[0]!;

/** Valid Cross-Border request bodies: one home for the sandbox, client and CLI tests. */
export { crossBorderPaymentRequest, crossBorderQuoteRequest } from '@mcapi/test-kit';
