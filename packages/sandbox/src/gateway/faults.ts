import { McapiError } from '@mcapi/errors';

/** The two gateway listeners. */
export type ListenerName = 'benefitAllocation' | 'crossBorder';

/**
 * A fault to inject into matching gateway requests, so clients can test their retries and error
 * handling. Several effects may be combined (latency then a 503, for instance).
 *
 * @example
 * ```ts
 * sandbox.dashboard.addFault({ listener: 'benefitAllocation', path: '/loyalty/benefits/cards', status: 503, retryAfterSeconds: 2, times: 1 });
 * sandbox.dashboard.addFault({ corruptJwe: true, times: 1 });
 * ```
 */
export interface FaultRule {
  /** Only this listener (default: both). */
  listener?: ListenerName;
  /** Only this path (without query) and the paths below it, segment-wise (default: every path). */
  path?: string;
  /** Only this HTTP method. */
  method?: string;
  /** Delay before answering, in milliseconds. */
  latencyMs?: number;
  /** Answer with this status instead of calling the service: 503 (with Retry-After) or 429. */
  status?: 503 | 429;
  /** Retry-After seconds sent with `status` (default 1). */
  retryAfterSeconds?: number;
  /** Send the headers and half the body, then reset the connection. */
  reset?: boolean;
  /** Damage the JWE of an encrypted success response so decryption fails. */
  corruptJwe?: boolean;
  /** Apply to this many matching requests, then remove the rule (default: until cleared). */
  times?: number;
}

/** The effects chosen for one request. */
export interface FaultEffects {
  latencyMs: number;
  status?: 503 | 429;
  retryAfterSeconds: number;
  reset: boolean;
  corruptJwe: boolean;
  description: string;
}

/** Holds the fault rules of a sandbox; the first matching rule applies. */
export interface FaultInjector {
  set(rules: readonly FaultRule[]): void;
  add(rule: FaultRule): void;
  clear(): void;
  list(): FaultRule[];
  match(listener: ListenerName, method: string, path: string): FaultEffects | undefined;
}

/** Checks a rule given through options or the dashboard API. */
export function validateFaultRule(rule: unknown, option = 'fault'): FaultRule {
  if (typeof rule !== 'object' || rule === null || Array.isArray(rule)) {
    throw new McapiError('ERR_INVALID_OPTION', `${option} must be an object.`);
  }
  const value = rule as Record<string, unknown>;
  const known = new Set(['listener', 'path', 'method', 'latencyMs', 'status', 'retryAfterSeconds', 'reset', 'corruptJwe', 'times']);
  for (const key of Object.keys(value)) {
    if (!known.has(key)) throw new McapiError('ERR_INVALID_OPTION', `${option}.${key} is not a fault setting.`);
  }
  const out: FaultRule = {};
  if (value.listener !== undefined) {
    if (value.listener !== 'benefitAllocation' && value.listener !== 'crossBorder') {
      throw new McapiError('ERR_INVALID_OPTION', `${option}.listener must be "benefitAllocation" or "crossBorder".`);
    }
    out.listener = value.listener;
  }
  if (value.path !== undefined) {
    if (typeof value.path !== 'string' || !value.path.startsWith('/')) throw new McapiError('ERR_INVALID_OPTION', `${option}.path must start with "/".`);
    out.path = value.path;
  }
  if (value.method !== undefined) {
    if (typeof value.method !== 'string') throw new McapiError('ERR_INVALID_OPTION', `${option}.method must be a string.`);
    out.method = value.method.toUpperCase();
  }
  for (const key of ['latencyMs', 'retryAfterSeconds', 'times'] as const) {
    const number = value[key];
    if (number === undefined) continue;
    if (typeof number !== 'number' || !Number.isInteger(number) || number < 0 || number > 600_000) {
      throw new McapiError('ERR_INVALID_OPTION', `${option}.${key} must be a whole number from 0 to 600000.`);
    }
    out[key] = number;
  }
  if (value.status !== undefined) {
    if (value.status !== 503 && value.status !== 429) throw new McapiError('ERR_INVALID_OPTION', `${option}.status must be 503 or 429.`);
    out.status = value.status;
  }
  for (const key of ['reset', 'corruptJwe'] as const) {
    if (value[key] === undefined) continue;
    if (typeof value[key] !== 'boolean') throw new McapiError('ERR_INVALID_OPTION', `${option}.${key} must be true or false.`);
    out[key] = value[key];
  }
  return out;
}

/** Creates the fault injector. */
export function createFaultInjector(initial: readonly FaultRule[] = []): FaultInjector {
  let rules: Array<FaultRule & { remaining?: number }> = [];
  const injector: FaultInjector = {
    set(next) {
      rules = next.map((rule, index) => {
        const checked = validateFaultRule(rule, `faults[${index}]`);
        return checked.times === undefined ? checked : { ...checked, remaining: checked.times };
      });
    },
    add(rule) {
      const checked = validateFaultRule(rule);
      rules.push(checked.times === undefined ? checked : { ...checked, remaining: checked.times });
    },
    clear() {
      rules = [];
    },
    list() {
      return rules.map(({ remaining, ...rule }) => (remaining === undefined ? rule : { ...rule, times: remaining }));
    },
    match(listener, method, path) {
      const index = rules.findIndex(
        (rule) =>
          (rule.listener === undefined || rule.listener === listener) &&
          (rule.method === undefined || rule.method === method) &&
          (rule.path === undefined || underPath(path, rule.path)),
      );
      if (index === -1) return undefined;
      const rule = rules[index]!;
      if (rule.remaining !== undefined) {
        rule.remaining--;
        if (rule.remaining <= 0) rules.splice(index, 1);
      }
      const effects: FaultEffects = {
        latencyMs: rule.latencyMs ?? 0,
        retryAfterSeconds: rule.retryAfterSeconds ?? 1,
        reset: rule.reset ?? false,
        corruptJwe: rule.corruptJwe ?? false,
        description: describe(rule),
      };
      if (rule.status !== undefined) effects.status = rule.status;
      return effects;
    },
  };
  injector.set(initial);
  return injector;
}

function describe(rule: FaultRule): string {
  const parts: string[] = [];
  if (rule.latencyMs) parts.push(`latency ${rule.latencyMs}ms`);
  if (rule.status) parts.push(`status ${rule.status}`);
  if (rule.reset) parts.push('reset');
  if (rule.corruptJwe) parts.push('corrupt-jwe');
  return parts.join(', ') || 'none';
}

// `/a/b` covers `/a/b` and `/a/b/c`, not `/a/bc`: a rule for /card-segments must not catch
// /card-segments-replacements.
function underPath(path: string, prefix: string): boolean {
  const base = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  return path === base || path.startsWith(`${base}/`);
}
