import { type KeyObject, constants, sign } from 'node:crypto';
import { McapiError } from '@mcapi/errors';
import { type ExternalPrivateKey, isExternalPrivateKey } from '@mcapi/keys';

/** OAuth 1.0a signature methods Mastercard accepts. */
export type OAuth1SignatureMethod = 'RSA-SHA256' | 'RSA-PSS';

/**
 * Signs the signature base string bytes and returns the raw signature: lets a key held in an HSM
 * or a cloud KMS sign (RSASSA-PKCS1-v1_5 with SHA-256 for `RSA-SHA256`; RSASSA-PSS, SHA-256,
 * MGF1-SHA-256, salt 32 for `RSA-PSS`).
 */
export type OAuth1SignFunction = (data: Uint8Array) => Promise<Uint8Array>;

/** A private RSA `KeyObject` (parsed once, e.g. with `loadPrivateKey`), an HSM key or a sign function. */
export type OAuth1SigningKey = KeyObject | ExternalPrivateKey | OAuth1SignFunction;

/** The checked signing key as one call: sync for a local key, async for a sign function. */
export type Signer = (data: Buffer) => Uint8Array | Promise<Uint8Array>;

// RSA-PSS parameters of Mastercard's Java signer: SHA-256, MGF1-SHA-256, 32-byte salt.
export const pssSaltLength = 32;

export function checkSignatureMethod(value: unknown): OAuth1SignatureMethod {
  if (value === undefined || value === 'RSA-SHA256') return 'RSA-SHA256';
  if (value === 'RSA-PSS') return 'RSA-PSS';
  throw new McapiError('ERR_INVALID_OPTION', `options.signatureMethod must be 'RSA-SHA256' or 'RSA-PSS', not ${JSON.stringify(value)}.`);
}

/** Validates `signingKey` once and returns the function the hot path calls. */
export function toSigner(
  signingKey: unknown,
  method: OAuth1SignatureMethod,
  option = 'options.signingKey',
  offload: boolean | 'auto' = 'auto',
): Signer {
  if (isExternalPrivateKey(signingKey)) {
    if (signingKey.publicKey.asymmetricKeyType !== 'rsa') {
      throw new McapiError('ERR_KEY_UNSUPPORTED', `${option} (${signingKey.reference}) is not an RSA key; Mastercard OAuth 1.0a signs with RSA (${method}).`);
    }
    // RSA-SHA256 is RSASSA-PKCS1-v1_5 SHA-256 (JOSE RS256); Mastercard's RSA-PSS is PS256's
    // parameters (SHA-256, MGF1-SHA-256, salt 32).
    const algorithm = method === 'RSA-PSS' ? 'PS256' : 'RS256';
    const external = signingKey;
    signingKey = (data: Uint8Array) => external.sign(algorithm, data);
  }
  if (typeof signingKey === 'function') {
    const signFunction = signingKey as OAuth1SignFunction;
    return async (data) => {
      let signature: unknown;
      try {
        signature = await signFunction(data);
      } catch (cause) {
        throw new McapiError('ERR_OAUTH_SIGNING_FAILED', `The ${option} function failed to sign the request; see the cause.`, { cause });
      }
      if (!(signature instanceof Uint8Array) || signature.byteLength === 0) {
        throw new McapiError('ERR_OAUTH_SIGNING_FAILED', `The ${option} function must resolve to the signature bytes (a non-empty Uint8Array).`);
      }
      return signature;
    };
  }
  const key = checkRsaPrivateKey(signingKey, method, option);
  const signingInput = method === 'RSA-PSS' ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: pssSaltLength } : key;
  const signInline = (data: Uint8Array) => sign('sha256', data, signingInput);
  // With a callback, node:crypto signs on the libuv thread pool: the event loop stays free while
  // the RSA private-key operation (~0.3 ms for 2048 bits) runs, and concurrent signatures use
  // every core.
  const signOnPool = (data: Uint8Array) =>
    new Promise<Uint8Array>((resolve, reject) => {
      sign('sha256', data, signingInput, (error, signature) => {
        if (error) reject(new McapiError('ERR_OAUTH_SIGNING_FAILED', 'Signing the request failed; see the cause.', { cause: error }));
        else resolve(signature);
      });
    });
  if (offload === true) return signOnPool;
  if (offload === false) return signInline;
  return async (data) => {
    signaturesWanted++;
    try {
      // One microtask, so a batch started in one loop is counted before anyone decides: a lone
      // signature runs inline (a thread hop costs more than it frees), overlapping ones go to the
      // pool and run in parallel.
      await undefined;
      return signaturesWanted === 1 ? signInline(data) : await signOnPool(data);
    } finally {
      signaturesWanted--;
    }
  };
}

// Signatures started and not yet finished, across every signer of the process: the cores are
// shared by all of them.
let signaturesWanted = 0;

function checkRsaPrivateKey(value: unknown, method: OAuth1SignatureMethod, option: string): KeyObject {
  const key = value as KeyObject;
  if (typeof value !== 'object' || value === null || typeof key.type !== 'string' || typeof key.export !== 'function') {
    throw new McapiError(
      'ERR_INVALID_OPTION',
      `${option} must be a private key KeyObject (load it once with loadPrivateKey from @mcapi/keys) or a function (data) => Promise<signature>.`,
    );
  }
  if (key.type !== 'private') {
    throw new McapiError('ERR_INVALID_OPTION', `${option} is a ${key.type} key; OAuth 1.0a signing needs the private key.`);
  }
  const type = key.asymmetricKeyType;
  if (type === 'rsa-pss' && method === 'RSA-PSS') return key;
  if (type !== 'rsa') {
    throw new McapiError(
      'ERR_KEY_UNSUPPORTED',
      `${option} is a ${type ?? 'non-RSA'} key; Mastercard OAuth 1.0a signs with RSA (${method}). Use the RSA key of your Mastercard Developers project.`,
    );
  }
  return key;
}
