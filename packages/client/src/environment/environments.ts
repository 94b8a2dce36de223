import type { KeyEnvironment } from '@mcapi/keys';

/** Base URLs of one environment, per API, and which keyring environment its keys belong to. */
export interface EnvironmentUrls {
  /** Benefit Allocation's mTLS product (the default, `benefitAllocation.auth: 'mtls'`). */
  benefitAllocation?: string;
  /** Benefit Allocation's OAuth 1.0a product: same paths and bodies, on the API hosts (api-facts §1.1, §2.14). */
  benefitAllocationOAuth1?: string;
  crossBorder?: string;
  keyEnvironment: KeyEnvironment;
}

/** Named Mastercard environments (mastercard-security.md §1, api-facts §1.1 and §2.1). */
export const environments = {
  sandbox: {
    benefitAllocation: 'https://mtf.services.mastercard.com/loyalty/benefits',
    benefitAllocationOAuth1: 'https://sandbox.api.mastercard.com/loyalty/benefits',
    crossBorder: 'https://sandbox.api.mastercard.com',
    keyEnvironment: 'sandbox',
  },
  production: {
    benefitAllocation: 'https://services.mastercard.com/loyalty/benefits',
    benefitAllocationOAuth1: 'https://api.mastercard.com/loyalty/benefits',
    crossBorder: 'https://api.mastercard.com',
    keyEnvironment: 'production',
  },
  'sandbox-eu': { crossBorder: 'https://sandbox.api.xbs.mastercard.eu', keyEnvironment: 'sandbox' },
  'mtf-eu': { crossBorder: 'https://mtf.api.xbs.mastercard.eu', keyEnvironment: 'sandbox' },
  'production-eu': { crossBorder: 'https://api.xbs.mastercard.eu', keyEnvironment: 'production' },
  'sandbox-uk': { crossBorder: 'https://sandbox.api.xbs.mastercard.uk', keyEnvironment: 'sandbox' },
  'mtf-uk': { crossBorder: 'https://mtf.api.xbs.mastercard.uk', keyEnvironment: 'sandbox' },
  // Inferred by analogy with the EU host (api-facts §2.1).
  'production-uk': { crossBorder: 'https://api.xbs.mastercard.uk', keyEnvironment: 'production' },
} as const satisfies Record<string, EnvironmentUrls>;

/** A named environment. */
export type EnvironmentName = keyof typeof environments;

/** `environment` option: a name, or base URLs per API (e.g. the local sandbox). */
export type EnvironmentOption =
  | EnvironmentName
  | {
      benefitAllocation?: { baseUrl: string };
      crossBorder?: { baseUrl: string };
      /** Which keyring environment to read keys from; default `sandbox`. */
      keyEnvironment?: KeyEnvironment;
    };

/** Resolves the `environment` option, checking URLs once. */
export function resolveEnvironment(option: EnvironmentOption, fail: (message: string) => never): EnvironmentUrls {
  if (typeof option === 'string') {
    const named = (environments as Record<string, EnvironmentUrls>)[option];
    if (!named) return fail(`environment must be one of ${Object.keys(environments).join(', ')} or { benefitAllocation: { baseUrl }, crossBorder: { baseUrl } }`);
    return named;
  }
  const out: EnvironmentUrls = { keyEnvironment: option.keyEnvironment ?? 'sandbox' };
  for (const api of ['benefitAllocation', 'crossBorder'] as const) {
    const baseUrl = option[api]?.baseUrl;
    if (baseUrl === undefined) continue;
    let url: URL;
    try {
      url = new URL(baseUrl);
    } catch {
      return fail(`environment.${api}.baseUrl must be an absolute URL`);
    }
    if (url.protocol !== 'https:') fail(`environment.${api}.baseUrl must use https (Mastercard APIs are TLS only)`);
    out[api] = baseUrl.replace(/\/+$/, '');
  }
  return out;
}
