import type { DashboardLookups } from './dashboard.js';
import type { KeyRecords } from './key-records.js';

/** What the gateway asks the dashboard per connection or request; revoked keys answer nothing. */
export function createDashboardLookups(records: KeyRecords): DashboardLookups {
  return {
    projectForClientCertificate(fingerprint) {
      const key = records.first((candidate) => candidate.certificateFingerprint === fingerprint && candidate.purpose === 'mtls');
      return key && !key.revoked ? key.project : undefined;
    },
    signingIdentity(consumerKey) {
      const key = records.first((candidate) => candidate.consumerKey === consumerKey);
      if (!key || key.revoked) return undefined;
      const certificate = records.certificateOf(key);
      return { project: key.project, consumerKey, publicKey: certificate.publicKey, certificate };
    },
    responseKey(project) {
      const key = records.liveResponseKeys(project).find((candidate) => candidate.active);
      return key ? { kid: key.fingerprint, certificate: records.certificateOf(key) } : undefined;
    },
  };
}
