/**
 * The project used when none is named.
 *
 * @example
 * ```ts
 * sandbox.dashboard.listKeys(DEFAULT_PROJECT);
 * ```
 */
export const DEFAULT_PROJECT = 'default';

/** What a registered key is for on the dashboard (mastercard-security.md §6). */
export type DashboardKeyPurpose = 'mtls' | 'response-decryption' | 'signing';

/** A key registered in a project: the certificate the dashboard issued or received. */
export interface DashboardKey {
  id: string;
  project: string;
  purpose: DashboardKeyPurpose;
  /** PEM certificate. */
  certificate: string;
  /** Lowercase hex SHA-256 of the public key (Mastercard's "public key fingerprint"). */
  fingerprint: string;
  /** Lowercase hex SHA-256 of the certificate DER. */
  certificateFingerprint: string;
  /** Signing keys only. */
  consumerKey?: string;
  /** Response-decryption keys: the one responses are encrypted to. */
  active: boolean;
  revoked: boolean;
  createdAt: string;
  notAfter: string;
}

/** The dashboard's persisted state. */
export interface DashboardState {
  keys: DashboardKey[];
}

/** A fresh dashboard state. */
export function emptyDashboardState(): DashboardState {
  return { keys: [] };
}
