import { McapiError } from '@mcapi/errors';
import type { MtlsTransportOptions, TransportWarningHandler } from './types.js';

/** Options with defaults applied. */
export interface ResolvedSettings {
  connections: number;
  keepAliveTimeout: number;
  keepAliveMaxTimeout: number;
  allowH2: boolean;
  connectTimeout: number;
  headersTimeout: number;
  bodyTimeout: number;
  maxResponseSize: number;
  expiryWarningDays: number;
  onWarning: TransportWarningHandler;
}

const defaults = {
  connections: 10,
  keepAliveTimeout: 4_000,
  keepAliveMaxTimeout: 600_000,
  connectTimeout: 10_000,
  // undici's own defaults are 300 s; an API call that has not answered in 30 s is better
  // reported than waited for.
  headersTimeout: 30_000,
  bodyTimeout: 30_000,
  maxResponseSize: 16 * 1024 * 1024,
  expiryWarningDays: 30,
} as const;

const knownOptions = new Set<string>([
  'credentials',
  'ca',
  'servername',
  'connections',
  'keepAliveTimeout',
  'keepAliveMaxTimeout',
  'allowH2',
  'connectTimeout',
  'headersTimeout',
  'bodyTimeout',
  'maxResponseSize',
  'expiryWarningDays',
  'onWarning',
  'onTiming',
  'dispatcher',
  'proxy',
]);

// Options that configure connections the transport opens itself; meaningless with a
// caller-supplied dispatcher, so refused there rather than silently ignored.
const poolOptions = ['credentials', 'ca', 'servername', 'connections', 'keepAliveTimeout', 'keepAliveMaxTimeout', 'allowH2', 'connectTimeout', 'proxy'] as const;

// Node/undici TLS options people reach for to "make it work"; verification is not negotiable.
const verificationSwitches = new Set(['rejectUnauthorized', 'insecure', 'checkServerIdentity', 'tls', 'connect']);

const emitWarning: TransportWarningHandler = (message) => {
  process.emitWarning(message, { code: 'MCAPI_TRANSPORT_MTLS' });
};

/** Validates options once, at construction; messages name the option. */
export function resolveOptions(options: MtlsTransportOptions): ResolvedSettings {
  if (typeof options !== 'object' || options === null) {
    throw new McapiError('ERR_INVALID_OPTION', 'createMtlsTransport needs an options object, usually { credentials }.');
  }
  for (const key of Object.keys(options)) {
    if (verificationSwitches.has(key)) {
      throw new McapiError(
        'ERR_INVALID_OPTION',
        `${key} is not an option: server certificate verification cannot be changed or turned off. For a private CA, pass it in ca; for a host-name mismatch, set servername.`,
      );
    }
    if (!knownOptions.has(key)) {
      throw new McapiError('ERR_INVALID_OPTION', `Unknown option ${key}. Known options: ${[...knownOptions].join(', ')}.`);
    }
  }
  if (options.dispatcher !== undefined) {
    if (typeof options.dispatcher?.dispatch !== 'function') {
      throw new McapiError('ERR_INVALID_OPTION', 'dispatcher must be an undici Dispatcher (Agent, Pool, MockAgent…).');
    }
    const conflicting = poolOptions.filter((key) => options[key] !== undefined);
    if (conflicting.length > 0) {
      throw new McapiError(
        'ERR_INVALID_OPTION',
        `dispatcher cannot be combined with ${conflicting.join(', ')}: those configure connections the transport opens itself. Configure the dispatcher instead, or drop it.`,
      );
    }
  }
  if (options.servername !== undefined && (typeof options.servername !== 'string' || options.servername === '')) {
    throw new McapiError('ERR_INVALID_OPTION', 'servername must be a non-empty host name.');
  }
  if (options.allowH2 !== undefined && typeof options.allowH2 !== 'boolean') {
    throw new McapiError('ERR_INVALID_OPTION', 'allowH2 must be true or false.');
  }
  for (const name of ['onWarning', 'onTiming'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'function') {
      throw new McapiError('ERR_INVALID_OPTION', `${name} must be a function.`);
    }
  }
  return {
    connections: integer(options, 'connections', 1),
    keepAliveTimeout: integer(options, 'keepAliveTimeout', 1),
    keepAliveMaxTimeout: integer(options, 'keepAliveMaxTimeout', 1),
    allowH2: options.allowH2 ?? false,
    connectTimeout: integer(options, 'connectTimeout', 1),
    headersTimeout: integer(options, 'headersTimeout', 1),
    bodyTimeout: integer(options, 'bodyTimeout', 1),
    maxResponseSize: integer(options, 'maxResponseSize', 1),
    expiryWarningDays: integer(options, 'expiryWarningDays', 0),
    onWarning: options.onWarning ?? emitWarning,
  };
}

function integer(options: MtlsTransportOptions, name: keyof typeof defaults, minimum: number): number {
  const value = options[name];
  if (value === undefined) return defaults[name];
  if (!Number.isSafeInteger(value) || value < minimum) {
    throw new McapiError('ERR_INVALID_OPTION', `${name} must be an integer ≥ ${minimum} (got ${String(value)}).`);
  }
  return value;
}
