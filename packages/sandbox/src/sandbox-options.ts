import { type NonceStore, createMemoryNonceStore } from '@mcapi/auth';
import { McapiError } from '@mcapi/errors';
import { type FaultRule, validateFaultRule } from './gateway/faults.js';

/**
 * Options of `startSandbox`. Every one is optional.
 *
 * @example
 * ```ts
 * await startSandbox({ state: './.mcapi/sandbox', ports: { dashboard: 8089 }, requestTokenEnabled: true });
 * ```
 */
export interface SandboxOptions {
  /** Directory to keep keys and data in between runs (in memory when absent). */
  state?: string;
  /** Ports on 127.0.0.1; 0 (default) picks free ones. */
  ports?: { benefitAllocation?: number; crossBorder?: number; dashboard?: number };
  /** Faults active from the start (see the README's fault-injection section). */
  faults?: FaultRule[];
  /** Accept the Cross-Border request token (`Authorization: Bearer <jwt>`) besides OAuth 1.0a. */
  requestTokenEnabled?: boolean;
  /**
   * Make the Cross-Border listeners (OAuth 1.0a / request token, and OAuth 2.0 with its token
   * endpoint) ask for a client certificate, as MTS EU/UK MTF and production hosts do: the TLS
   * handshake needs one from the sandbox CA, and one the dashboard did not issue (or revoked) is
   * dropped. Default false (Mastercard's sandbox asks for none).
   */
  crossBorderMtls?: boolean;
  /** Clock in milliseconds, for tests of time windows. Default `Date.now`. */
  now?: () => number;
  /**
   * Waits between webhook delivery attempts (1 s, 2 s, 4 s by default); tests pass one that
   * records the delays and returns at once.
   */
  webhookSleep?: (ms: number) => Promise<void>;
  /** Payload encryption settings. */
  encryption?: {
    /** JSON field of Benefit Allocation JWE bodies (request and response). Default `encryptedData`. */
    benefitAllocationFieldName?: string;
    /** Refuse plaintext Benefit Allocation bodies. Default true (every operation is encrypted). */
    requireBenefitAllocation?: boolean;
    /** Refuse plaintext Cross-Border bodies. Default false (optional in Mastercard's sandbox, §2.3). */
    requireCrossBorder?: boolean;
  };
  /** OAuth 1.0a timestamp window in seconds. Default 300. */
  maxSkewSeconds?: number;
  /**
   * Where every one-time value is remembered (OAuth 1.0a nonces, request-token, DPoP proof and
   * client assertion `jti`s), shared by all listeners. Default: `createMemoryNonceStore` of
   * `@mcapi/auth` (100 000 entries, refusing with 503 when full). Pass a shared store to run
   * several sandboxes behind one address.
   */
  replayStore?: NonceStore;
}

/** Options with defaults applied. */
export interface ResolvedSandboxOptions {
  state?: string;
  ports: { benefitAllocation: number; crossBorder: number; dashboard: number };
  faults: FaultRule[];
  requestTokenEnabled: boolean;
  crossBorderMtls: boolean;
  now: () => number;
  encryption: { benefitAllocationFieldName: string; requireBenefitAllocation: boolean; requireCrossBorder: boolean };
  maxSkewSeconds: number;
  replayStore: NonceStore;
  webhookSleep?: (ms: number) => Promise<void>;
}

/** Validates options once, with messages naming the option. */
export function resolveSandboxOptions(options: SandboxOptions = {}): ResolvedSandboxOptions {
  if (typeof options !== 'object' || options === null) throw new McapiError('ERR_INVALID_OPTION', 'startSandbox options must be an object.');
  const fail = (message: string): never => {
    throw new McapiError('ERR_INVALID_OPTION', message);
  };
  if (options.state !== undefined && (typeof options.state !== 'string' || options.state.length === 0)) fail('state must be a directory path.');
  const port = (value: unknown, name: string): number => {
    if (value === undefined) return 0;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 65535) fail(`ports.${name} must be a port number 0–65535.`);
    return value as number;
  };
  const ports = options.ports ?? {};
  if (!Array.isArray(options.faults ?? [])) fail('faults must be an array of fault rules.');
  const faults = (options.faults ?? []).map((rule, index) => validateFaultRule(rule, `faults[${index}]`));
  if (options.now !== undefined && typeof options.now !== 'function') fail('now must be a function returning milliseconds.');
  const encryption = options.encryption ?? {};
  const fieldName = encryption.benefitAllocationFieldName ?? 'encryptedData';
  if (typeof fieldName !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(fieldName)) {
    fail('encryption.benefitAllocationFieldName must be a JSON field name such as "encryptedData".');
  }
  const maxSkewSeconds = options.maxSkewSeconds ?? 300;
  if (!Number.isInteger(maxSkewSeconds) || maxSkewSeconds < 1) fail('maxSkewSeconds must be a positive whole number.');
  const replayStore = options.replayStore;
  if (replayStore !== undefined && typeof (replayStore as { claim?: unknown } | null)?.claim !== 'function') {
    fail('replayStore must be a NonceStore: { claim(key, ttlMs) }.');
  }
  if (options.crossBorderMtls !== undefined && typeof options.crossBorderMtls !== 'boolean') fail('crossBorderMtls must be true or false.');
  const now = options.now ?? Date.now;
  const resolved: ResolvedSandboxOptions = {
    ports: {
      benefitAllocation: port(ports.benefitAllocation, 'benefitAllocation'),
      crossBorder: port(ports.crossBorder, 'crossBorder'),
      dashboard: port(ports.dashboard, 'dashboard'),
    },
    faults,
    requestTokenEnabled: options.requestTokenEnabled === true,
    crossBorderMtls: options.crossBorderMtls === true,
    now,
    encryption: {
      benefitAllocationFieldName: fieldName,
      requireBenefitAllocation: encryption.requireBenefitAllocation ?? true,
      requireCrossBorder: encryption.requireCrossBorder ?? false,
    },
    maxSkewSeconds,
    replayStore: replayStore ?? createMemoryNonceStore({ now }),
  };
  if (options.state !== undefined) resolved.state = options.state;
  if (options.webhookSleep !== undefined) {
    if (typeof options.webhookSleep !== 'function') fail('webhookSleep must be a function (ms) => Promise<void>.');
    resolved.webhookSleep = options.webhookSleep;
  }
  return resolved;
}
