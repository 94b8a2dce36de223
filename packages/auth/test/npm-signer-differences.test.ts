import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { baseUri, collectParameters, signatureBaseString } from '../src/index.js';

// mastercard-oauth1-signer 1.2.0 (devDependency) exposes its helpers; these tests pin the cases
// where it departs from Mastercard's Java signer, and that we follow the Java behaviour instead.
interface NpmOAuth {
  getBaseUriString(uri: string): string;
  extractQueryParams(uri: string): Map<string, Set<string>>;
  toOAuthParamString(query: Map<string, Set<string>>, oauth: Map<string, string>): string;
  getSignatureBaseString(method: string, baseUri: string, paramString: string): string;
}
const npm = createRequire(import.meta.url)('mastercard-oauth1-signer') as NpmOAuth;
const npmParams = (url: string) => npm.toOAuthParamString(npm.extractQueryParams(url), new Map());

describe('where mastercard-oauth1-signer (npm) is wrong and we are not', () => {
  it('removes the default port', () => {
    const url = 'https://api.mastercard.com:443/test?query=param';
    expect(baseUri(url)).toBe('https://api.mastercard.com/test');
    expect(npm.getBaseUriString(url)).toBe('https://api.mastercard.com:443/test');
  });

  it('keeps exact duplicate parameters', () => {
    const url = 'https://x.example/?a=1&a=1';
    expect(collectParameters(new URL(url).search)).toBe('a=1&a=1');
    expect(npmParams(url)).toBe('a=1');
  });

  it('normalizes %2a to %2A', () => {
    const url = 'https://x.example/?b=%2a';
    expect(collectParameters(new URL(url).search)).toBe('b=%2A');
    expect(npmParams(url)).toBe('b=%2a');
  });

  it('encodes every ! and *, not only the first', () => {
    const ours = signatureBaseString('GET', 'https://x.example/?a=!!&b=**', {});
    expect(ours).toBe('GET&https%3A%2F%2Fx.example%2F&a%3D%21%21%26b%3D%2A%2A');
    expect(npm.getSignatureBaseString('GET', 'https://x.example/', 'a=!!&b=**')).toContain('%21!');
  });
});
