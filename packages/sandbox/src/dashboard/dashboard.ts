import type { KeyObject, X509Certificate } from 'node:crypto';
import { publicKeyFingerprint } from '@mcapi/keys';
import type { SandboxKeys } from '../crypto/sandbox-keys.js';
import { createDashboardLookups } from './dashboard-lookups.js';
import type { DashboardKeyPurpose, DashboardState } from './dashboard-state.js';
import { activateResponseKey, registerSigningKey, revokeKey, signCsr } from './key-issuing.js';
import { createKeyRecords } from './key-records.js';

export { DEFAULT_PROJECT } from './dashboard-state.js';

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
  /** The certificate clients encrypt requests to now, with its public-key fingerprint (the kid). */
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

/**
 * Builds the dashboard over its state: the key records (one place that stores and shows keys),
 * the operations that issue, rotate and revoke them, and the lookups the gateway uses.
 */
export function createDashboard(options: CreateDashboardOptions): SandboxDashboard & DashboardLookups {
  const { keys, state, onChange, now } = options;
  const records = createKeyRecords({ caCertificate: keys.ca.certificate.toString(), state, now });
  // Read from `keys` on each call, as it is renewed (renewRequestEncryption); described once per certificate.
  let shown: { of: X509Certificate; certificate: string; fingerprint: string } | undefined;
  const requestEncryption = () => {
    const current = keys.requestEncryption.certificate;
    if (shown?.of !== current) shown = { of: current, certificate: current.toString(), fingerprint: publicKeyFingerprint(current) };
    return { certificate: shown.certificate, fingerprint: shown.fingerprint };
  };
  // Every operation that changes a key saves the state once it has.
  const changing =
    <A extends unknown[], R>(operation: (...args: A) => R) =>
    (...args: A): R => {
      const result = operation(...args);
      onChange();
      return result;
    };
  return {
    caCertificate: () => records.caCertificate,
    requestEncryptionCertificate: requestEncryption,
    signCsr: changing((input: SignCsrOptions) => signCsr(records, keys.ca, input)),
    registerSigningKey: changing((input: RegisterSigningKeyOptions) => registerSigningKey(records, keys.ca, input)),
    listKeys: (project) => records.list(project).map(records.view),
    activateResponseDecryptionKey: changing((id: string) => activateResponseKey(records, id)),
    revokeKey: changing((id: string) => revokeKey(records, id)),
    ...createDashboardLookups(records),
  };
}
