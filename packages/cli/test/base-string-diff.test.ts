import { describe, expect, it } from 'vitest';
import { alignBaseStrings, compareBaseStrings, explainSignatureFailure } from '../src/index.js';

const base = (query: string, hash = 'h1', key = 'ck%21', ts = '1700000000') =>
  `GET&https%3A%2F%2Fapi.test%2Fp&${query}oauth_body_hash%3D${hash}%26oauth_consumer_key%3D${key}%26oauth_nonce%3Dn%26oauth_signature_method%3DRSA-SHA256%26oauth_timestamp%3D${ts}%26oauth_version%3D1.0`;

describe('base string comparison', () => {
  it('names the part and parameter of the first difference', () => {
    expect(compareBaseStrings(base(''), base(''))).toEqual({});
    expect(compareBaseStrings(base('q%3Da%2520b%26'), base('q%3Da%252Bb%26'))).toMatchObject({ part: 'parameter', parameter: 'q' });
    expect(compareBaseStrings(base('', 'h1'), base('', 'h2'))).toMatchObject({ part: 'parameter', parameter: 'oauth_body_hash' });
    expect(compareBaseStrings(base(''), base('').replace('api.test', 'api.other'))).toMatchObject({ part: 'uri' });
    expect(compareBaseStrings(base(''), `POST${base('').slice(3)}`)).toMatchObject({ part: 'method', index: 0 });
  });

  it('names the usual causes', () => {
    expect(explainSignatureFailure({ ours: base('q%3Da%2520b%26'), theirs: base('q%3Da%252Bb%26'), source: 'OAuth.Signature' }).kind).toBe('query-encoding');
    expect(explainSignatureFailure({ ours: base('', 'h1'), theirs: base('', 'h2') }).kind).toBe('body-reserialised');
    expect(explainSignatureFailure({ ours: base('', 'h1', 'a'), theirs: base('', 'h1', 'b') }).kind).toBe('consumer-key');
    expect(explainSignatureFailure({ ours: base(''), theirs: base(''), source: 'OAuth.Timestamp', clockSkewSeconds: -420 }).message).toContain('420 s behind');
    expect(explainSignatureFailure({ ours: base(''), theirs: base(''), source: 'OAuth.Signature' }).kind).toBe('signing-key');
    expect(explainSignatureFailure({}).kind).toBe('unknown');
    // A proxy that changes the port and a query value: the query value is named, the URL noted.
    const proxied = base('q%3Da%253Ab%26').replace('api.test', 'api.test%3A8443');
    const cause = explainSignatureFailure({ ours: proxied, theirs: base('q%3Da%3Ab%26'), source: 'OAuth.Signature' });
    expect(cause.kind).toBe('query-encoding');
    expect(cause.message).toContain('The URL differs too');
  });

  it('aligns both strings and puts the caret under the first difference', () => {
    const lines = alignBaseStrings('abcdefXhij', 'abcdefYhij', 4);
    expect(lines).toEqual(['  ours    abcd', '  theirs  abcd', '  ours    efXh', '  theirs  efYh', '            ^ first difference (character 7)', '  ours    ij', '  theirs  ij']);
  });
});
