import { type KeyObject, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadPrivateKey } from '@mcapi/keys';

/** Path of a file in test/vectors. */
export const vector = (name: string): string => fileURLToPath(new URL(`./vectors/${name}`, import.meta.url));

export interface OAuth1Vectors {
  bodyHash: { bodyUtf8: string; expected: string }[];
  parameterString: { query?: string; url?: string; oauthParams?: Record<string, string>; expected: string }[];
  baseUri: { url: string; expected: string }[];
  signatureBaseString: { method: string; url: string; oauthParams: Record<string, string>; expected: string }[];
  signature: { signatureBaseString: string; expected: string }[];
  fullRequest: {
    method: string;
    url: string;
    body: string | null;
    consumerKey: string;
    nonce: string;
    timestamp: string;
    expectedSignatureHeaderValue: string;
    expectedSignature: string;
  }[];
}

export const vectors = JSON.parse(readFileSync(vector('vectors.json'), 'utf8')) as OAuth1Vectors;

/** The shared Mastercard test key, from the legacy PKCS#12 through @mcapi/keys. */
export const loadTestKeyFromP12 = (): Promise<KeyObject> =>
  loadPrivateKey(readFileSync(vector('test_key_container.p12')), { alias: 'mykeyalias', passphrase: 'Password1' });

/** The same key from its PEM form. */
export const loadTestKeyFromPem = (): Promise<KeyObject> => loadPrivateKey({ path: vector('test_key.pem') }, { onWarning: () => {} });

/** The PEM test key and its public half: what the signer, verifier and property tests sign and check with. */
export async function loadTestKeyPair(): Promise<{ key: KeyObject; publicKey: KeyObject }> {
  const key = await loadTestKeyFromPem();
  return { key, publicKey: createPublicKey(key) };
}

/** Consumer key of the signer, verifier and property tests (with `!`, which must be kept raw in the header). */
export const consumerKey = 'abc-abc-abc!123';

/** Reads the parameters of an OAuth header (values as written). */
export function headerParams(header: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const match of header.slice('OAuth '.length).matchAll(/([a-z_]+)="([^"]*)"/g)) out[match[1]!] = match[2]!;
  return out;
}
