import { type KeyObject, X509Certificate, randomUUID } from 'node:crypto';
import { McapiError } from '@mcapi/errors';
import { certificateFingerprint, parseCertificates, publicKeyFingerprint } from '@mcapi/keys';
import { issueCertificate } from '@mcapi/keytool';
import type { SandboxKeys } from '../crypto/sandbox-keys.js';
import { newConsumerKey } from './consumer-key.js';
import type { DashboardKey, DashboardKeyPurpose, DashboardState } from './dashboard-state.js';

/**
 * The project used when none is named.
 *
 * @example
 * ```ts
 * sandbox.dashboard.listKeys(DEFAULT_PROJECT);
 * ```
 */
export const DEFAULT_PROJECT = 'default';

/** Mastercard lets a project hold two Mastercard encryption keys at once for rotation (§6). */
const MAX_RESPONSE_KEYS = 2;

/** Options of {@link SandboxDashboard.signCsr}. */
export interface SignCsrOptions {
  /** PEM PKCS#10 request. */
  csr: string;
  purpose: 'mtls' | 'response-decryption';
  /** Default `default`. */
  project?: string;
  /** Default 365. */
  validityDays?: number;
}

/** Options of {@link SandboxDashboard.registerSigningKey}: a CSR or a certificate. */
export interface RegisterSigningKeyOptions {
  csr?: string;
  certificate?: string;
  project?: string;
  validityDays?: number;
}

/**
 * A key as the dashboard shows it.
 *
 * @example
 * ```ts
 * const key: IssuedKey = sandbox.dashboard.signCsr({ csr, purpose: 'response-decryption' });
 * key.fingerprint; // the kid of responses encrypted to it while it is active
 * ```
 */
export interface IssuedKey {
  id: string;
  project: string;
  purpose: DashboardKeyPurpose;
  /** The certificate (PEM). */
  certificate: string;
  /** The issuing CA certificate (PEM), to complete the chain. */
  chain: string;
  fingerprint: string;
  certificateFingerprint: string;
  active: boolean;
  revoked: boolean;
  notAfter: string;
  consumerKey?: string;
}

/** A caller identified by its signing key (OAuth 1.0a, request token). */
export interface SigningIdentity {
  project: string;
  consumerKey: string;
  publicKey: KeyObject;
  certificate: X509Certificate;
}

/** The active response-decryption key of a project. */
export interface ResponseKey {
  kid: string;
  certificate: X509Certificate;
}

/**
 * What Mastercard Developers does for a project: issue certificates from CSRs, register signing
 * keys with consumer keys, hand out the request-encryption certificate, rotate the
 * response-decryption key.
 *
 * @example
 * ```ts
 * const { certificate, chain } = sandbox.dashboard.signCsr({ csr, purpose: 'mtls' });
 * const { consumerKey } = sandbox.dashboard.registerSigningKey({ csr: signingCsr });
 * const next = sandbox.dashboard.signCsr({ csr: newResponseCsr, purpose: 'response-decryption' });
 * sandbox.dashboard.activateResponseDecryptionKey(next.id); // responses now use next's kid
 * ```
 */
export interface SandboxDashboard {
  /** The local CA certificate (PEM): trust it for the gateway, and it signs client certificates. */
  caCertificate(): string;
  /** The certificate clients encrypt requests to, with its public-key fingerprint (the kid). */
  requestEncryptionCertificate(): { certificate: string; fingerprint: string };
  /** Signs a CSR for an mTLS client certificate or a response-decryption (Mastercard encryption) key. */
  signCsr(options: SignCsrOptions): IssuedKey;
  /** Registers an OAuth signing key (CSR or certificate) and returns its consumer key. */
  registerSigningKey(options: RegisterSigningKeyOptions): IssuedKey & { consumerKey: string };
  /** Keys of a project (default: every project). */
  listKeys(project?: string): IssuedKey[];
  /** Makes a response-decryption key the one responses are encrypted to. */
  activateResponseDecryptionKey(id: string): IssuedKey;
  /** Revokes a key: mTLS certificates stop handshaking, signing keys stop verifying. */
  revokeKey(id: string): IssuedKey;
}

/** Internal lookups the gateway uses. */
export interface DashboardLookups {
  projectForClientCertificate(fingerprint: string): string | undefined;
  signingIdentity(consumerKey: string): SigningIdentity | undefined;
  responseKey(project: string): ResponseKey | undefined;
}

/** Options of {@link createDashboard}. */
export interface CreateDashboardOptions {
  keys: SandboxKeys;
  state: DashboardState;
  onChange: () => void;
  now: () => number;
}

const projectPattern = /^[A-Za-z0-9._-]{1,64}$/;

/** Builds the dashboard over its state. */
export function createDashboard(options: CreateDashboardOptions): SandboxDashboard & DashboardLookups {
  const { keys, state, onChange, now } = options;
  const caPem = keys.ca.certificate.toString();
  const requestEncryption = {
    certificate: keys.requestEncryption.certificate.toString(),
    fingerprint: publicKeyFingerprint(keys.requestEncryption.certificate),
  };

  // Parsed forms are cached by key id so nothing is re-parsed per request.
  const parsed = new Map<string, X509Certificate>();
  const certificateOf = (key: DashboardKey): X509Certificate => {
    let certificate = parsed.get(key.id);
    if (!certificate) {
      certificate = new X509Certificate(key.certificate);
      parsed.set(key.id, certificate);
    }
    return certificate;
  };

  const view = (key: DashboardKey): IssuedKey => {
    const out: IssuedKey = {
      id: key.id,
      project: key.project,
      purpose: key.purpose,
      certificate: key.certificate,
      chain: caPem,
      fingerprint: key.fingerprint,
      certificateFingerprint: key.certificateFingerprint,
      active: key.active,
      revoked: key.revoked,
      notAfter: key.notAfter,
    };
    if (key.consumerKey !== undefined) out.consumerKey = key.consumerKey;
    return out;
  };

  const record = (project: string, purpose: DashboardKeyPurpose, certificate: X509Certificate, extra: Partial<DashboardKey> = {}) => {
    const key: DashboardKey = {
      id: randomUUID(),
      project,
      purpose,
      certificate: certificate.toString(),
      fingerprint: publicKeyFingerprint(certificate),
      certificateFingerprint: certificateFingerprint(certificate, 'hex'),
      active: false,
      revoked: false,
      createdAt: new Date(now()).toISOString(),
      notAfter: new Date(certificate.validTo).toISOString(),
      ...extra,
    };
    state.keys.push(key);
    parsed.set(key.id, certificate);
    return key;
  };

  const findKey = (id: string): DashboardKey => {
    const key = state.keys.find((candidate) => candidate.id === id || candidate.fingerprint === id);
    if (!key) throw new McapiError('ERR_SANDBOX', `No key ${id} on the sandbox dashboard. List keys with GET /_dashboard/keys.`);
    return key;
  };

  const liveResponseKeys = (project: string) =>
    state.keys.filter((key) => key.project === project && key.purpose === 'response-decryption' && !key.revoked);

  return {
    caCertificate: () => caPem,
    requestEncryptionCertificate: () => ({ ...requestEncryption }),

    signCsr(input) {
      const project = checkProject(input?.project);
      if (input?.purpose !== 'mtls' && input?.purpose !== 'response-decryption') {
        throw new McapiError('ERR_INVALID_OPTION', 'purpose must be "mtls" or "response-decryption" (signing keys use registerSigningKey).');
      }
      if (typeof input.csr !== 'string') throw new McapiError('ERR_INVALID_OPTION', 'csr must be a PEM certificate request.');
      if (input.purpose === 'response-decryption' && liveResponseKeys(project).length >= MAX_RESPONSE_KEYS) {
        throw new McapiError(
          'ERR_SANDBOX',
          `Project ${project} already holds ${MAX_RESPONSE_KEYS} response-decryption keys; revoke one before adding another.`,
        );
      }
      const certificate = issueCertificate({
        issuer: keys.ca,
        csr: input.csr,
        usage: input.purpose === 'mtls' ? 'client' : 'encryption',
        validityDays: input.validityDays ?? 365,
      });
      // The first response-decryption key of a project becomes active; a second one waits for
      // an explicit switch, like a rotation on the real dashboard.
      const active = input.purpose === 'response-decryption' && liveResponseKeys(project).length === 0;
      const key = record(project, input.purpose, certificate, { active });
      onChange();
      return view(key);
    },

    registerSigningKey(input) {
      const project = checkProject(input?.project);
      if ((input?.csr === undefined) === (input?.certificate === undefined)) {
        throw new McapiError('ERR_INVALID_OPTION', 'Pass exactly one of csr or certificate to registerSigningKey.');
      }
      let certificate: X509Certificate;
      if (input.csr !== undefined) {
        // The sandbox certifies the CSR's key so the same key can sign request tokens (x5c).
        certificate = issueCertificate({ issuer: keys.ca, csr: input.csr, usage: 'client', validityDays: input.validityDays ?? 365 });
      } else {
        [certificate] = parseCertificates(new TextEncoder().encode(String(input.certificate)));
      }
      const key = record(project, 'signing', certificate, { consumerKey: newConsumerKey() });
      onChange();
      return view(key) as IssuedKey & { consumerKey: string };
    },

    listKeys(project) {
      return state.keys.filter((key) => project === undefined || key.project === project).map(view);
    },

    activateResponseDecryptionKey(id) {
      const key = findKey(id);
      if (key.purpose !== 'response-decryption' || key.revoked) {
        throw new McapiError('ERR_SANDBOX', `Key ${id} is not a live response-decryption key.`);
      }
      for (const other of liveResponseKeys(key.project)) other.active = other === key;
      onChange();
      return view(key);
    },

    revokeKey(id) {
      const key = findKey(id);
      key.revoked = true;
      if (key.active) {
        key.active = false;
        const [next] = liveResponseKeys(key.project);
        if (next) next.active = true;
      }
      onChange();
      return view(key);
    },

    projectForClientCertificate(fingerprint) {
      const key = state.keys.find((candidate) => candidate.certificateFingerprint === fingerprint && candidate.purpose === 'mtls');
      return key && !key.revoked ? key.project : undefined;
    },

    signingIdentity(consumerKey) {
      const key = state.keys.find((candidate) => candidate.consumerKey === consumerKey);
      if (!key || key.revoked) return undefined;
      const certificate = certificateOf(key);
      return { project: key.project, consumerKey, publicKey: certificate.publicKey, certificate };
    },

    responseKey(project) {
      const key = liveResponseKeys(project).find((candidate) => candidate.active);
      return key ? { kid: key.fingerprint, certificate: certificateOf(key) } : undefined;
    },
  };
}

function checkProject(project: unknown): string {
  if (project === undefined) return DEFAULT_PROJECT;
  if (typeof project !== 'string' || !projectPattern.test(project)) {
    throw new McapiError('ERR_INVALID_OPTION', 'project must be 1 to 64 letters, digits, ".", "_" or "-".');
  }
  return project;
}
