import { X509Certificate, randomUUID } from 'node:crypto';
import { McapiError } from '@mcapi/errors';
import { certificateFingerprint, publicKeyFingerprint } from '@mcapi/keys';
import type { IssuedKey } from './dashboard.js';
import type { DashboardKey, DashboardKeyPurpose, DashboardState } from './dashboard-state.js';

/** Options of {@link createKeyRecords}. */
export interface KeyRecordsOptions {
  /** The sandbox CA certificate (PEM): the chain of every issued key. */
  caCertificate: string;
  state: DashboardState;
  now: () => number;
}

/** The dashboard's keys: how they are stored, found and shown. */
export interface KeyRecords {
  readonly caCertificate: string;
  /** Stores a new key (inactive, not revoked unless `extra` says otherwise). */
  record(project: string, purpose: DashboardKeyPurpose, certificate: X509Certificate, extra?: Partial<DashboardKey>): DashboardKey;
  /** A key by id or public-key fingerprint. @throws {McapiError} `ERR_SANDBOX` when there is none. */
  find(id: string): DashboardKey;
  /** Keys of a project (default: every project), in the order they were added. */
  list(project?: string): DashboardKey[];
  /** The first key that passes `test`. */
  first(test: (key: DashboardKey) => boolean): DashboardKey | undefined;
  /** A project's response-decryption keys that are not revoked. */
  liveResponseKeys(project: string): DashboardKey[];
  /** The key's certificate, parsed once. */
  certificateOf(key: DashboardKey): X509Certificate;
  /** The key as the dashboard shows it. */
  view(key: DashboardKey): IssuedKey;
}

/**
 * The dashboard's key records over its persisted state.
 *
 * @example
 * ```ts
 * const records = createKeyRecords({ caCertificate: caPem, state: store.data.dashboard, now: Date.now });
 * records.view(records.record('default', 'mtls', certificate));
 * ```
 */
export function createKeyRecords({ caCertificate, state, now }: KeyRecordsOptions): KeyRecords {
  // Parsed forms are cached by key id so nothing is re-parsed per request.
  const parsed = new Map<string, X509Certificate>();
  return {
    caCertificate,
    record(project, purpose, certificate, extra = {}) {
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
    },
    find(id) {
      const key = state.keys.find((candidate) => candidate.id === id || candidate.fingerprint === id);
      if (!key) throw new McapiError('ERR_SANDBOX', `No key ${id} on the sandbox dashboard. List keys with GET /_dashboard/keys.`);
      return key;
    },
    list: (project) => state.keys.filter((key) => project === undefined || key.project === project),
    first: (test) => state.keys.find(test),
    liveResponseKeys: (project) => state.keys.filter((key) => key.project === project && key.purpose === 'response-decryption' && !key.revoked),
    certificateOf(key) {
      let certificate = parsed.get(key.id);
      if (!certificate) {
        certificate = new X509Certificate(key.certificate);
        parsed.set(key.id, certificate);
      }
      return certificate;
    },
    view: (key) => viewOf(key, caCertificate),
  };
}

function viewOf(key: DashboardKey, chain: string): IssuedKey {
  const out: IssuedKey = {
    id: key.id,
    project: key.project,
    purpose: key.purpose,
    certificate: key.certificate,
    chain,
    fingerprint: key.fingerprint,
    certificateFingerprint: key.certificateFingerprint,
    active: key.active,
    revoked: key.revoked,
    notAfter: key.notAfter,
  };
  if (key.consumerKey !== undefined) out.consumerKey = key.consumerKey;
  return out;
}
