import { createPublicKey, sign } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  baseUri,
  bodyHash,
  collectParameters,
  createMemoryNonceStore,
  createOAuth1Signer,
  signatureBaseString,
  verifyOAuth1,
} from '../src/index.js';
import { headerParams, loadTestKeyFromP12, loadTestKeyFromPem, vectors } from './helpers.js';
import type { KeyObject } from 'node:crypto';

let p12Key: KeyObject;
let pemKey: KeyObject;
beforeAll(async () => {
  p12Key = await loadTestKeyFromP12();
  pemKey = await loadTestKeyFromPem();
});

describe('Mastercard OAuth 1.0a vectors', () => {
  it.each(vectors.bodyHash)('hashes body $bodyUtf8 to $expected', ({ bodyUtf8, expected }) => {
    expect(bodyHash(bodyUtf8)).toBe(expected);
    expect(bodyHash(new TextEncoder().encode(bodyUtf8))).toBe(expected);
  });

  it('hashes a missing body as the empty string', () => {
    const empty = vectors.bodyHash.find((entry) => entry.bodyUtf8 === '')!.expected;
    expect(bodyHash(undefined)).toBe(empty);
    expect(bodyHash(null)).toBe(empty);
  });

  it('builds the RFC 5849 example parameter string', () => {
    const entry = vectors.parameterString[0]!;
    expect(collectParameters(entry.query!, entry.oauthParams)).toBe(entry.expected);
  });

  it('keeps duplicates and gives flags without "=" the empty value', () => {
    const entry = vectors.parameterString[1]!;
    expect(collectParameters(new URL(entry.url!).search)).toBe(entry.expected);
  });

  it('sorts by key then value in byte order', () => {
    const entry = vectors.parameterString[2]!;
    // The vector gives only the sorted result; feed its pairs reversed and rotated.
    const pairs = entry.expected.split('&');
    expect(collectParameters([...pairs].reverse().join('&'))).toBe(entry.expected);
    expect(collectParameters([...pairs.slice(3), ...pairs.slice(0, 3)].join('&'))).toBe(entry.expected);
  });

  it.each(vectors.baseUri)('normalizes base URI $url', ({ url, expected }) => {
    expect(baseUri(url)).toBe(expected);
  });

  it.each(vectors.signatureBaseString)('builds the base string of $method $url', ({ method, url, oauthParams, expected }) => {
    expect(signatureBaseString(method, url, oauthParams)).toBe(expected);
  });

  it('reproduces the raw signature (RSA-SHA256 is deterministic)', () => {
    const entry = vectors.signature[0]!;
    expect(sign('sha256', Buffer.from(entry.signatureBaseString), p12Key).toString('base64')).toBe(entry.expected);
  });

  describe.each(vectors.fullRequest)('full request $method $url', (entry) => {
    const authorize = (key: KeyObject) =>
      createOAuth1Signer({
        consumerKey: entry.consumerKey,
        signingKey: key,
        now: () => Number(entry.timestamp) * 1000,
        nonce: () => entry.nonce,
      }).authorize({ method: entry.method, url: entry.url, body: entry.body });

    it('signs byte for byte like the Java signer (key from the legacy PKCS#12)', async () => {
      const header = await authorize(p12Key);
      const params = headerParams(header);
      expect(params.oauth_signature).toBe(entry.expectedSignatureHeaderValue);
      expect(decodeURIComponent(params.oauth_signature!)).toBe(entry.expectedSignature);
      expect(params).toMatchObject({
        oauth_consumer_key: entry.consumerKey,
        oauth_nonce: entry.nonce,
        oauth_timestamp: entry.timestamp,
        oauth_signature_method: 'RSA-SHA256',
        oauth_version: '1.0',
        oauth_body_hash: bodyHash(''),
      });
    });

    it('signs the same with the key from PEM', async () => {
      expect(headerParams(await authorize(pemKey)).oauth_signature).toBe(entry.expectedSignatureHeaderValue);
    });

    it('is accepted by the verifier', async () => {
      const header = await authorize(p12Key);
      const result = await verifyOAuth1({
        method: entry.method,
        url: entry.url,
        headers: { authorization: header },
        lookupKey: (consumerKey) => (consumerKey === entry.consumerKey ? createPublicKey(p12Key) : undefined),
        now: () => Number(entry.timestamp) * 1000,
        nonceStore: createMemoryNonceStore(),
      });
      expect(result).toMatchObject({ ok: true, consumerKey: entry.consumerKey, nonce: entry.nonce });
    });
  });
});
