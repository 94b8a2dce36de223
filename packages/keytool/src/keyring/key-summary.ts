import { join } from 'node:path';
import type { KeyEnvironment, KeyPurpose, KeyringEntry, KeyStatus } from '@mcapi/keys';

const dayMs = 86_400_000;

/** A keyring entry as commands report it: manifest facts plus derived ones. Never key material. */
export interface KeySummary {
  id: string;
  purpose: KeyPurpose;
  environment: KeyEnvironment;
  status: KeyStatus;
  /** A pending key that has its certificate and can be activated. */
  ready: boolean;
  publicKeyFingerprint: string;
  certificateFingerprint?: string;
  subject?: string;
  notBefore?: string;
  notAfter?: string;
  /** Whole days until notAfter, negative once expired. */
  expiresInDays?: number;
  consumerKey?: string;
  alias?: string;
  privateKeyEncrypted: boolean;
  createdAt: string;
  activatedAt?: string;
  retiredAt?: string;
  /** Absolute paths of the entry's files. */
  files: { privateKey?: string; certificate?: string; csr?: string };
  /** For a key in an HSM: its PKCS#11 URI (no PIN). */
  privateKeyRef?: string;
}

/** Summarises an entry; `now` decides `expiresInDays`. */
export function summarizeEntry(dir: string, entry: KeyringEntry, now: Date): KeySummary {
  const expiresInDays = entry.notAfter === undefined ? undefined : Math.floor((Date.parse(entry.notAfter) - now.getTime()) / dayMs);
  return {
    id: entry.id,
    purpose: entry.purpose,
    environment: entry.environment,
    status: entry.status,
    ready: entry.status === 'pending' && entry.certificateFile !== undefined,
    publicKeyFingerprint: entry.publicKeyFingerprint,
    ...(entry.certificateFingerprint !== undefined && { certificateFingerprint: entry.certificateFingerprint }),
    ...(entry.subject !== undefined && { subject: entry.subject }),
    ...(entry.notBefore !== undefined && { notBefore: entry.notBefore }),
    ...(entry.notAfter !== undefined && { notAfter: entry.notAfter }),
    ...(expiresInDays !== undefined && { expiresInDays }),
    ...(entry.consumerKey !== undefined && { consumerKey: entry.consumerKey }),
    ...(entry.alias !== undefined && { alias: entry.alias }),
    privateKeyEncrypted: entry.privateKeyEncrypted === true,
    createdAt: entry.createdAt,
    ...(entry.activatedAt !== undefined && { activatedAt: entry.activatedAt }),
    ...(entry.retiredAt !== undefined && { retiredAt: entry.retiredAt }),
    ...(entry.privateKeyRef !== undefined && { privateKeyRef: entry.privateKeyRef }),
    files: {
      ...(entry.privateKeyFile !== undefined && { privateKey: join(dir, entry.privateKeyFile) }),
      ...(entry.certificateFile !== undefined && { certificate: join(dir, entry.certificateFile) }),
      ...(entry.csrFile !== undefined && { csr: join(dir, entry.csrFile) }),
    },
  };
}
