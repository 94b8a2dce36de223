import { McapiError } from '@mcapi/errors';
import { resolveCa } from '../resolve-ca.js';
import type { CaSource, ProxyOption } from '../types.js';
import { createNoProxyMatcher } from './no-proxy.js';

/** A proxy ready to tunnel through: credentials taken out of the URL, roots parsed. */
export interface ResolvedProxy {
  /** `http:` or `https:` URL of the proxy, without user name or password. */
  readonly url: URL;
  /** What error messages call the proxy: its origin only, never its credentials. */
  readonly display: string;
  /** `Basic …` for `Proxy-Authorization`, when credentials were given. Never logged. */
  readonly authorization: string | undefined;
  /** Roots for an `https:` proxy's own certificate; Node's defaults when absent. */
  readonly ca: string[] | undefined;
  /** True for origins that go direct (`NO_PROXY` / `noProxy`). */
  readonly bypass: (hostname: string, port: number) => boolean;
}

/**
 * Works out the proxy from the `proxy` option or, when it is absent, from `HTTPS_PROXY` /
 * `https_proxy` and `NO_PROXY` / `no_proxy` (lower case wins, as in curl). `proxy: false` turns
 * the environment off. Only `https:` requests are ever sent, so `HTTP_PROXY` is not read.
 */
export function resolveProxy(option: ProxyOption | undefined, env: NodeJS.ProcessEnv): ResolvedProxy | undefined {
  if (option === false) return undefined;
  if (option === undefined) {
    const fromEnv = nonEmpty(env.https_proxy) ?? nonEmpty(env.HTTPS_PROXY);
    if (fromEnv === undefined) return undefined;
    return build(fromEnv, 'HTTPS_PROXY', { noProxy: nonEmpty(env.no_proxy) ?? nonEmpty(env.NO_PROXY) });
  }
  if (typeof option === 'string' || option instanceof URL) return build(option, 'proxy', {});
  if (typeof option !== 'object' || option === null || option.url === undefined) {
    throw new McapiError('ERR_INVALID_OPTION', 'proxy must be a URL, { url, username?, password?, ca?, noProxy? } or false.');
  }
  const known = new Set(['url', 'username', 'password', 'ca', 'noProxy']);
  for (const key of Object.keys(option)) {
    if (!known.has(key)) throw new McapiError('ERR_INVALID_OPTION', `Unknown proxy option ${key}. Known: ${[...known].join(', ')}.`);
  }
  return build(option.url, 'proxy.url', option);
}

interface ProxyExtras {
  username?: string | undefined;
  password?: string | undefined;
  ca?: CaSource | undefined;
  noProxy?: string | readonly string[] | undefined;
}

function build(input: string | URL, name: string, extras: ProxyExtras): ResolvedProxy {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    // The value may carry a password: never echo it.
    throw new McapiError('ERR_INVALID_OPTION', `${name} is not an absolute URL (expected http://host:port or https://host:port).`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new McapiError('ERR_INVALID_OPTION', `${name} must be an http: or https: URL (got ${url.protocol}); SOCKS proxies are not supported.`);
  }
  for (const [key, value] of [['username', extras.username], ['password', extras.password]] as const) {
    if (value !== undefined && typeof value !== 'string') throw new McapiError('ERR_INVALID_OPTION', `proxy.${key} must be a string.`);
  }
  const username = extras.username ?? decodeURIComponent(url.username);
  const password = extras.password ?? decodeURIComponent(url.password);
  url.username = '';
  url.password = '';
  const display = url.origin;
  const authorization =
    username === '' && password === '' ? undefined : `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
  const ca = extras.ca === undefined ? undefined : resolveCa(extras.ca);
  if (ca !== undefined && url.protocol !== 'https:') {
    throw new McapiError('ERR_INVALID_OPTION', 'proxy.ca is only meaningful for an https: proxy URL.');
  }
  return { url, display, authorization, ca, bypass: createNoProxyMatcher(extras.noProxy) };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
