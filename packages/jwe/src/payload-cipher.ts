import { McapiError } from '@mcapi/errors';
import { type CompiledMatcher, type EndpointMatcher, compileMatcher, requestTarget } from './endpoint-rules.js';
import {
  type JsonLocation,
  type JsonPath,
  deleteAtLocation,
  getAtLocation,
  isJsonObject,
  parseJsonPath,
  queryJsonPath,
  setAtLocation,
  wildcardCount,
} from './json-path.js';
import { parseJsonLosslessOr } from './lossless-json-parse.js';
import { stringifyJsonLossless } from './lossless-json-stringify.js';
import {
  type FieldLevelCodecOptions,
  type HeaderRecord,
  type JweCodecOptions,
  type PayloadCodec,
  fieldLevelCodec,
  jweCodec,
} from './payload-codecs.js';

/**
 * One encrypted value of a body. On requests, the value at `path` is encrypted and replaced by
 * `{ [field]: "<jwe>" }` at `into` (default: `path` itself; when `into` is another place the
 * source is removed and, if `into` holds an object, the field is merged into it). On responses
 * it is the reverse: the object at `path` holding `field` is decrypted into `into` (default
 * `path`). Absent paths are skipped.
 */
export interface PayloadMapping {
  /** JSON path of the value (requests) or of the encrypted container (responses). */
  path: string;
  /** Where the result goes; wildcards take the indices matched by `path`, in order. */
  into?: string;
  /** Member holding the encrypted value; default `encryptedData`. */
  field?: string;
}

/** An endpoint and how its request and response bodies are encrypted. */
export interface PayloadRule extends EndpointMatcher {
  request?: readonly PayloadMapping[];
  response?: readonly PayloadMapping[];
  /** Headers added to encrypted requests, e.g. Cross-Border's `x-encrypted: true`. */
  requestHeaders?: Readonly<Record<string, string>>;
}

/** Options of {@link createPayloadCipher}. */
export interface PayloadCipherOptions extends JweCodecOptions {
  /** Endpoint rules; the first that matches a request's method and path applies. */
  rules: readonly PayloadRule[];
  /** Use Mastercard's legacy field-level scheme instead of JWE (the JWE options then don't apply). */
  fieldLevel?: FieldLevelCodecOptions;
}

/** A request or response as the payload cipher sees it; `body` is parsed JSON. */
export interface PayloadMessage {
  url: string | URL;
  method: string;
  body: unknown;
  /** Response headers (legacy field-level parameters may travel there). */
  headers?: HeaderRecord;
}

/** What {@link PayloadCipher.encryptRequest} returns. */
export interface EncryptedRequest {
  /** The new body (the input is never mutated). */
  body: unknown;
  /** Headers to add to the request (e.g. `x-encrypted: true`, field-level parameters). */
  headers: Record<string, string>;
  /** False when no rule matched or no configured path was present. */
  encrypted: boolean;
}

/** What {@link PayloadCipher.decryptResponse} returns. */
export interface DecryptedResponse {
  body: unknown;
  decrypted: boolean;
}

/** Encrypts request bodies and decrypts response bodies by endpoint rules and JSON paths. */
export interface PayloadCipher {
  encryptRequest(request: PayloadMessage): Promise<EncryptedRequest>;
  decryptResponse(response: PayloadMessage): Promise<DecryptedResponse>;
  /**
   * Whether a rule has mappings for this endpoint's requests or responses. When it has none, a
   * body need not be parsed at all: pass it on byte for byte.
   */
  applies(message: Pick<PayloadMessage, 'url' | 'method'>, direction: 'request' | 'response'): boolean;
}

interface CompiledMapping {
  path: JsonPath;
  into: JsonPath | undefined;
  field: string;
}

interface CompiledRule {
  matcher: CompiledMatcher;
  request: CompiledMapping[];
  response: CompiledMapping[];
  requestHeaders: Record<string, string>;
}

/**
 * Creates a payload cipher: per-endpoint rules (method + path template or regex) map JSON paths
 * to encrypt in requests and decrypt in responses. Everything is validated and keys are parsed
 * here, once.
 *
 * @throws {McapiError} `ERR_INVALID_OPTION` when a rule, key or option is invalid (at construction).
 * @throws {McapiError} `ERR_PAYLOAD_PATH` when a rule's `path` / `into` do not fit together; at run time, a body does not have the shape a rule needs.
 * @throws {McapiError} `ERR_JWE_MALFORMED` when (returned functions) an encrypted field is not a JWE; decryption errors of `decrypt` pass through.
 *
 * @example
 * ```ts
 * const cipher = createPayloadCipher({
 *   encryptionKey: mastercardCertificate,
 *   decryptionKeys: keyring.decryptionKeys('sandbox'),
 *   rules: [
 *     { method: 'POST', path: '/cards/{cardId}/freeze', ...payloadPresets.encryptedData },
 *     { path: /\/payments$/, request: [{ path: '$.items[*].card', field: 'encryptedCard' }] },
 *   ],
 * });
 * const { body, headers } = await cipher.encryptRequest({ url, method: 'POST', body: { pan: '5123…' } });
 * ```
 */
export function createPayloadCipher(options: PayloadCipherOptions): PayloadCipher {
  if (typeof options !== 'object' || options === null || !Array.isArray(options.rules)) {
    throw new McapiError('ERR_INVALID_OPTION', 'createPayloadCipher: options.rules must be an array of endpoint rules.');
  }
  const codec: PayloadCodec = options.fieldLevel !== undefined ? fieldLevelCodec(options.fieldLevel) : jweCodec(options);
  const rules = options.rules.map((rule, index) => compileRule(rule, `options.rules[${index}]`));
  const find = (message: Pick<PayloadMessage, 'url' | 'method'>): CompiledRule | undefined => {
    const target = requestTarget(message.url);
    return rules.find((rule) => rule.matcher.matches(String(message.method), target));
  };

  return {
    applies(message, direction) {
      const rule = find(message);
      return rule !== undefined && rule[direction].length > 0;
    },

    async encryptRequest(request) {
      const rule = find(request);
      if (rule === undefined || rule.request.length === 0) return { body: request.body, headers: {}, encrypted: false };
      let body = request.body;
      let headers: Record<string, string> = {};
      let encrypted = false;
      for (const mapping of rule.request) {
        for (const match of queryJsonPath(body, mapping.path)) {
          if (match.value === undefined || typeof match.value === 'function' || typeof match.value === 'symbol') continue;
          const json = stringifyJsonLossless(match.value);
          const sealed = codec.seal(json, mapping.field);
          body = place(body, match.location, target(mapping, match.location), sealed.members);
          headers = { ...headers, ...sealed.headers };
          encrypted = true;
        }
      }
      if (encrypted) headers = { ...headers, ...rule.requestHeaders };
      return { body, headers, encrypted };
    },

    async decryptResponse(response) {
      const rule = find(response);
      if (rule === undefined || rule.response.length === 0) return { body: response.body, decrypted: false };
      let body = response.body;
      let decrypted = false;
      for (const mapping of rule.response) {
        const matches = queryJsonPath(body, mapping.path);
        // Decrypt all matches of one mapping concurrently (RSA work runs on the thread pool).
        const opened = await Promise.all(matches.map((match) => codec.open(match.value, mapping.field, response.headers ?? {})));
        matches.forEach((match, index) => {
          const plaintext = opened[index];
          if (plaintext === undefined) return;
          body = place(body, match.location, target(mapping, match.location), parsePlaintext(plaintext));
          decrypted = true;
        });
      }
      return { body, decrypted };
    },
  };
}

function compileRule(rule: PayloadRule, option: string): CompiledRule {
  if (typeof rule !== 'object' || rule === null) throw new McapiError('ERR_INVALID_OPTION', `${option} must be an object.`);
  const mappings = (list: readonly PayloadMapping[] | undefined, name: string): CompiledMapping[] => {
    if (list === undefined) return [];
    if (!Array.isArray(list)) throw new McapiError('ERR_INVALID_OPTION', `${option}.${name} must be an array of { path, into?, field? }.`);
    return list.map((mapping: PayloadMapping, index) => compileMapping(mapping, `${option}.${name}[${index}]`));
  };
  const requestHeaders = { ...(rule.requestHeaders ?? {}) };
  for (const [name, value] of Object.entries(requestHeaders)) {
    if (typeof value !== 'string') throw new McapiError('ERR_INVALID_OPTION', `${option}.requestHeaders.${name} must be a string.`);
  }
  return {
    matcher: compileMatcher(rule, option),
    request: mappings(rule.request, 'request'),
    response: mappings(rule.response, 'response'),
    requestHeaders,
  };
}

function compileMapping(mapping: PayloadMapping, option: string): CompiledMapping {
  if (typeof mapping !== 'object' || mapping === null || typeof mapping.path !== 'string') {
    throw new McapiError('ERR_INVALID_OPTION', `${option}.path must be a JSON path string.`);
  }
  const field = mapping.field ?? 'encryptedData';
  if (typeof field !== 'string' || field === '') throw new McapiError('ERR_INVALID_OPTION', `${option}.field must be a non-empty string.`);
  const path = parseJsonPath(mapping.path);
  const into = mapping.into === undefined ? undefined : parseJsonPath(mapping.into);
  if (into !== undefined && wildcardCount(into) > wildcardCount(path)) {
    throw new McapiError('ERR_PAYLOAD_PATH', `${option}.into has more [*] than ${option}.path: each must take an index matched by path.`);
  }
  return { path, into, field };
}

// The concrete target: `into` with its wildcards replaced by the indices `path` matched.
function target(mapping: CompiledMapping, source: JsonLocation): JsonLocation {
  if (mapping.into === undefined) return source;
  const wildcardSteps: (string | number)[] = [];
  mapping.path.segments.forEach((segment, index) => {
    if (segment.type === 'wildcard') wildcardSteps.push(source[index]!);
  });
  let next = 0;
  return mapping.into.segments.map((segment) => {
    if (segment.type === 'wildcard') return wildcardSteps[next++]!;
    return segment.type === 'index' ? segment.index : segment.key;
  });
}

// Moves a result into the body: the source is removed when the target is elsewhere, and an
// object result is merged into an object already at the target (Mastercard's behaviour, e.g.
// `$.encrypted_payload` decrypted into `$`).
function place(body: unknown, source: JsonLocation, destination: JsonLocation, value: unknown): unknown {
  const same = source.length === destination.length && source.every((step, index) => step === destination[index]);
  let next = same ? body : deleteAtLocation(body, source);
  if (!same) {
    const existing = getAtLocation(next, destination);
    if (isJsonObject(existing) && isJsonObject(value)) {
      for (const [key, member] of Object.entries(value)) next = setAtLocation(next, [...destination, key], member);
      return next;
    }
  }
  next = setAtLocation(next, destination, value);
  return next;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

// Decrypted values are JSON (objects, arrays, primitives); a plaintext that is not JSON is kept
// as a string, as Mastercard's libraries do.
function parsePlaintext(plaintext: Uint8Array): unknown {
  let text: string;
  try {
    text = utf8.decode(plaintext);
  } catch {
    throw new McapiError('ERR_JWE_MALFORMED', 'A decrypted payload value is not UTF-8 text.');
  }
  // Lossless: 19-digit PANs and exact decimals keep their text through the body.
  return parseJsonLosslessOr(text, text);
}
