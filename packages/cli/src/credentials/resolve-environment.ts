import { McapiError } from '@mcapi/errors';
import { environments, type EnvironmentUrls } from '@mcapi/client';
import type { KeyEnvironment } from '@mcapi/keys';
import { type ParsedValues, text } from '../cli/command-spec.js';

/** Hosts of the chosen environment and the keyring environment its keys belong to. */
export interface ResolvedEnvironment {
  name: string;
  benefitAllocation?: string;
  crossBorder?: string;
  keyEnvironment: KeyEnvironment;
}

/** `--env`, `--key-env`, `--bas-url`, `--cross-border-url` (URLs must be https). */
export function resolveEnvironment(values: ParsedValues): ResolvedEnvironment {
  const name = text(values, 'env') ?? 'sandbox';
  const named = (environments as Record<string, EnvironmentUrls>)[name];
  if (named === undefined) {
    throw new McapiError('ERR_CLI_USAGE', `--env must be one of ${Object.keys(environments).join(', ')} (got ${name}); use --bas-url / --cross-border-url for other hosts.`);
  }
  const keyEnv = text(values, 'key-env') ?? named.keyEnvironment;
  if (keyEnv !== 'sandbox' && keyEnv !== 'production') throw new McapiError('ERR_CLI_USAGE', '--key-env must be sandbox or production.');
  const out: ResolvedEnvironment = { name, keyEnvironment: keyEnv };
  const bas = text(values, 'bas-url') ?? named.benefitAllocation;
  const crossBorder = text(values, 'cross-border-url') ?? named.crossBorder;
  if (bas !== undefined) out.benefitAllocation = httpsBase(bas, '--bas-url');
  if (crossBorder !== undefined) out.crossBorder = httpsBase(crossBorder, '--cross-border-url');
  return out;
}

function httpsBase(value: string, option: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new McapiError('ERR_CLI_USAGE', `${option} must be an absolute https URL (got ${value}).`);
  }
  if (url.protocol !== 'https:') throw new McapiError('ERR_CLI_USAGE', `${option} must use https: Mastercard APIs are TLS only.`);
  return value.replace(/\/+$/, '');
}
