import { McapiError } from '@mcapi/errors';

/**
 * The keyring manifest, `keyring.json`, version 1. It describes a directory of keys by purpose;
 * the key material lives in files beside it, referenced by relative paths.
 *
 * ```json
 * { "version": 1, "keys": [ { "id": "rd-sandbox-…", "purpose": "response-decryption",
 *   "environment": "sandbox", "status": "active", "createdAt": "2026-11-25T…Z",
 *   "privateKeyFile": "keys/rd-sandbox-….key.pem", "certificateFile": "certs/rd-sandbox-….crt.pem",
 *   "publicKeyFingerprint": "761b…", "notBefore": "…", "notAfter": "…" } ] }
 * ```
 */
export interface KeyringManifest {
  version: 1;
  keys: KeyringEntry[];
}

/** What a key is for on Mastercard Developers. */
export const keyPurposes = ['signing', 'mtls', 'request-encryption', 'response-decryption'] as const;
export type KeyPurpose = (typeof keyPurposes)[number];

/** Mastercard environment a key was issued for. */
export const keyEnvironments = ['sandbox', 'production'] as const;
export type KeyEnvironment = (typeof keyEnvironments)[number];

/**
 * Lifecycle: `pending` (created, CSR made, certificate not yet active) → `active` (in use; one per
 * purpose and environment) → `previous` (replaced, still decrypts during a rotation) → `retired`.
 */
export const keyStatuses = ['pending', 'active', 'previous', 'retired'] as const;
export type KeyStatus = (typeof keyStatuses)[number];

/** One key of the keyring. File paths are relative to the keyring directory. */
export interface KeyringEntry {
  id: string;
  purpose: KeyPurpose;
  environment: KeyEnvironment;
  status: KeyStatus;
  /** ISO 8601 times of the lifecycle steps. */
  createdAt: string;
  activatedAt?: string;
  retiredAt?: string;
  /** Subject DN the CSR or certificate carries, RFC 4514 style (`CN=…,O=…`). */
  subject?: string;
  /** PKCS#8 PEM, encrypted when `privateKeyEncrypted`. Absent for `request-encryption` and HSM keys. */
  privateKeyFile?: string;
  /**
   * For a key held in an HSM instead of a file: its RFC 7512 PKCS#11 URI
   * (`pkcs11:token=…;id=%…;object=…;type=private`), never a PIN. Open it with `@mcapi/pkcs11`.
   */
  privateKeyRef?: string;
  privateKeyEncrypted?: boolean;
  /** PEM: the certificate first, then its chain. */
  certificateFile?: string;
  csrFile?: string;
  /** Lowercase hex SHA-256 of the SubjectPublicKeyInfo DER (Mastercard's fingerprint, the JWE kid). */
  publicKeyFingerprint: string;
  /** Lowercase hex SHA-256 of the certificate DER. */
  certificateFingerprint?: string;
  notBefore?: string;
  notAfter?: string;
  /** OAuth 1.0a consumer key, for `signing` keys. */
  consumerKey?: string;
  /** The PKCS#12 alias the key was imported from or is exported under. */
  alias?: string;
}

/** The manifest file name inside a keyring directory. */
export const manifestFileName = 'keyring.json';

const idPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Whether `id` is a valid entry id (it names files too, so it can never leave the keyring). */
export function isValidKeyId(id: unknown): id is string {
  return typeof id === 'string' && idPattern.test(id);
}
const fingerprintPattern = /^[0-9a-f]{64}$/;
const optionalStrings = ['activatedAt', 'retiredAt', 'subject', 'consumerKey', 'alias', 'notBefore', 'notAfter'] as const;
const fileFields = ['privateKeyFile', 'certificateFile', 'csrFile'] as const;

/**
 * Validates parsed JSON as a version-1 manifest. Throws `ERR_KEYRING_INVALID` naming the first
 * problem, so a hand-edited or damaged file is caught on read, not on the next API call.
 *
 * @example
 * ```ts
 * const manifest = parseKeyringManifest(JSON.parse(text), 'keyring.json');
 * ```
 */
export function parseKeyringManifest(value: unknown, where = manifestFileName): KeyringManifest {
  const fail = (problem: string): never => {
    throw new McapiError('ERR_KEYRING_INVALID', `Keyring manifest ${where} is invalid: ${problem}.`);
  };
  if (!isRecord(value)) return fail('not a JSON object');
  if (value.version !== 1) return fail(`unsupported version ${JSON.stringify(value.version)} (this mcapi reads version 1)`);
  if (!Array.isArray(value.keys)) return fail('"keys" must be an array');
  const ids = new Set<string>();
  const activeSlots = new Set<string>();
  for (const [index, raw] of value.keys.entries()) {
    const at = `keys[${index}]`;
    if (!isRecord(raw)) return fail(`${at} is not an object`);
    if (typeof raw.id !== 'string' || !idPattern.test(raw.id)) return fail(`${at}.id must match ${idPattern}`);
    if (ids.has(raw.id)) return fail(`duplicate id "${raw.id}"`);
    ids.add(raw.id);
    if (!keyPurposes.includes(raw.purpose as KeyPurpose)) return fail(`${at}.purpose must be one of ${keyPurposes.join(', ')}`);
    if (!keyEnvironments.includes(raw.environment as KeyEnvironment)) {
      return fail(`${at}.environment must be one of ${keyEnvironments.join(', ')}`);
    }
    if (!keyStatuses.includes(raw.status as KeyStatus)) return fail(`${at}.status must be one of ${keyStatuses.join(', ')}`);
    if (typeof raw.createdAt !== 'string' || Number.isNaN(Date.parse(raw.createdAt))) {
      return fail(`${at}.createdAt must be an ISO 8601 time`);
    }
    if (typeof raw.publicKeyFingerprint !== 'string' || !fingerprintPattern.test(raw.publicKeyFingerprint)) {
      return fail(`${at}.publicKeyFingerprint must be 64 lowercase hex characters`);
    }
    if (raw.certificateFingerprint !== undefined && (typeof raw.certificateFingerprint !== 'string' || !fingerprintPattern.test(raw.certificateFingerprint))) {
      return fail(`${at}.certificateFingerprint must be 64 lowercase hex characters`);
    }
    for (const field of optionalStrings) {
      if (raw[field] !== undefined && typeof raw[field] !== 'string') return fail(`${at}.${field} must be a string`);
    }
    for (const field of fileFields) {
      const file = raw[field];
      if (file === undefined) continue;
      if (typeof file !== 'string' || !isContainedRelativePath(file)) {
        return fail(`${at}.${field} must be a relative path inside the keyring`);
      }
    }
    if (raw.privateKeyEncrypted !== undefined && typeof raw.privateKeyEncrypted !== 'boolean') {
      return fail(`${at}.privateKeyEncrypted must be a boolean`);
    }
    if (raw.privateKeyRef !== undefined) {
      if (typeof raw.privateKeyRef !== 'string' || !raw.privateKeyRef.startsWith('pkcs11:') || /pin-value/i.test(raw.privateKeyRef)) {
        return fail(`${at}.privateKeyRef must be a pkcs11: URI without a PIN`);
      }
      if (raw.privateKeyFile !== undefined) return fail(`${at} has both privateKeyFile and privateKeyRef`);
    }
    const hasPrivateKey = raw.privateKeyFile !== undefined || raw.privateKeyRef !== undefined;
    if (raw.purpose === 'request-encryption' ? raw.certificateFile === undefined : !hasPrivateKey) {
      return fail(`${at} (${String(raw.purpose)}) is missing its ${raw.purpose === 'request-encryption' ? 'certificateFile' : 'privateKeyFile (or privateKeyRef)'}`);
    }
    if (raw.status === 'active') {
      const slot = `${String(raw.purpose)}/${String(raw.environment)}`;
      if (activeSlots.has(slot)) return fail(`two active ${String(raw.purpose)} keys for ${String(raw.environment)}`);
      activeSlots.add(slot);
    }
  }
  return value as unknown as KeyringManifest;
}

/** An empty manifest, for a new keyring. */
export function emptyKeyringManifest(): KeyringManifest {
  return { version: 1, keys: [] };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether `path` is relative and stays inside the keyring directory. */
export function isContainedRelativePath(path: string): boolean {
  if (path === '' || path.startsWith('/') || path.includes('\\') || /^[A-Za-z]:/.test(path)) return false;
  return path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}
