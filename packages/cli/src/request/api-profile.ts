import { McapiError } from '@mcapi/errors';
import { crossBorderWrapper, encryptedDataWrapper, type EncryptionWrapper } from '@mcapi/client';
import type { ResolvedEnvironment } from '../credentials/resolve-environment.js';

/** The two API families and how the client talks to each (client README, "What a call does"). */
export type ApiName = 'bas' | 'cross-border';

export interface ApiProfile {
  name: ApiName;
  /** Benefit Allocation: mutual TLS, no request signing. Cross-Border: OAuth 1.0a or a request token. */
  auth: 'mtls' | 'oauth';
  wrapper: EncryptionWrapper;
  /** Cross-Border asks for encrypted answers with `x-encrypted: true`, on every method. */
  encryptionHeaders: Record<string, string>;
  /** Benefit Allocation refuses plaintext; Cross-Border encryption is optional. */
  encryptionRequired: boolean;
}

export const apiProfiles: Record<ApiName, ApiProfile> = {
  bas: { name: 'bas', auth: 'mtls', wrapper: encryptedDataWrapper, encryptionHeaders: {}, encryptionRequired: true },
  'cross-border': { name: 'cross-border', auth: 'oauth', wrapper: crossBorderWrapper, encryptionHeaders: { 'x-encrypted': 'true' }, encryptionRequired: false },
};

/**
 * The absolute URL and API of a request. `URL` may be absolute or a path joined to the chosen
 * API's base URL. `auto` reads the path: Benefit Allocation lives under `/loyalty/benefits` (or
 * on the environment's Benefit Allocation host), everything else is Cross-Border.
 */
export function resolveTarget(target: string, api: string, environment: ResolvedEnvironment): { url: URL; profile: ApiProfile } {
  if (api !== 'auto' && api !== 'bas' && api !== 'cross-border') throw new McapiError('ERR_CLI_USAGE', '--api must be bas, cross-border or auto.');
  const absolute = /^[a-z][a-z0-9+.-]*:\/\//i.test(target);
  let name: ApiName;
  if (api !== 'auto') name = api;
  else if (absolute) {
    const url = new URL(target);
    const basHost = environment.benefitAllocation === undefined ? undefined : new URL(environment.benefitAllocation).host;
    name = url.pathname.startsWith('/loyalty/benefits') || url.host === basHost ? 'bas' : 'cross-border';
  } else name = target.startsWith('/loyalty/benefits') || target.startsWith('/card-') ? 'bas' : 'cross-border';
  let url: URL;
  if (absolute) url = new URL(target);
  else {
    const base = name === 'bas' ? environment.benefitAllocation : environment.crossBorder;
    if (base === undefined) throw new McapiError('ERR_CLI_USAGE', `The environment ${environment.name} has no ${name} host: give an absolute URL or --${name === 'bas' ? 'bas' : 'cross-border'}-url.`);
    const path = name === 'bas' ? target.replace(/^\/loyalty\/benefits(?=\/)/, '') : target;
    url = new URL(`${base}${path.startsWith('/') ? '' : '/'}${path}`);
  }
  if (url.protocol !== 'https:') throw new McapiError('ERR_CLI_USAGE', `The URL must use https (got ${url.protocol}): Mastercard APIs are TLS only.`);
  return { url, profile: apiProfiles[name] };
}
