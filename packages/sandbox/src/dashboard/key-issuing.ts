import type { X509Certificate } from 'node:crypto';
import { McapiError } from '@mcapi/errors';
import { parseCertificates } from '@mcapi/keys';
import { issueCertificate } from '@mcapi/keytool';
import type { SandboxKeys } from '../crypto/sandbox-keys.js';
import { newConsumerKey } from './consumer-key.js';
import type { IssuedKey, RegisterSigningKeyOptions, SignCsrOptions } from './dashboard.js';
import { DEFAULT_PROJECT } from './dashboard-state.js';
import type { KeyRecords } from './key-records.js';

// What the dashboard does to keys: issue, register, rotate, revoke. The caller saves the state.

/** Mastercard lets a project hold two Mastercard encryption keys at once for rotation (§6). */
const MAX_RESPONSE_KEYS = 2;

const projectPattern = /^[A-Za-z0-9._-]{1,64}$/;

/** Signs a CSR for an mTLS client certificate or a response-decryption key. */
export function signCsr(records: KeyRecords, ca: SandboxKeys['ca'], input: SignCsrOptions): IssuedKey {
  const project = checkProject(input?.project);
  if (input?.purpose !== 'mtls' && input?.purpose !== 'response-decryption') {
    throw new McapiError('ERR_INVALID_OPTION', 'purpose must be "mtls" or "response-decryption" (signing keys use registerSigningKey).');
  }
  if (typeof input.csr !== 'string') throw new McapiError('ERR_INVALID_OPTION', 'csr must be a PEM certificate request.');
  if (input.purpose === 'response-decryption' && records.liveResponseKeys(project).length >= MAX_RESPONSE_KEYS) {
    throw new McapiError('ERR_SANDBOX', `Project ${project} already holds ${MAX_RESPONSE_KEYS} response-decryption keys; revoke one before adding another.`);
  }
  const certificate = issueCertificate({
    issuer: ca,
    csr: input.csr,
    usage: input.purpose === 'mtls' ? 'client' : 'encryption',
    validityDays: input.validityDays ?? 365,
  });
  // The first response-decryption key of a project becomes active; a second one waits for an
  // explicit switch, like a rotation on the real dashboard.
  const active = input.purpose === 'response-decryption' && records.liveResponseKeys(project).length === 0;
  return records.view(records.record(project, input.purpose, certificate, { active }));
}

/** Registers an OAuth signing key (CSR or certificate) with a new consumer key. */
export function registerSigningKey(records: KeyRecords, ca: SandboxKeys['ca'], input: RegisterSigningKeyOptions): IssuedKey & { consumerKey: string } {
  const project = checkProject(input?.project);
  if ((input?.csr === undefined) === (input?.certificate === undefined)) {
    throw new McapiError('ERR_INVALID_OPTION', 'Pass exactly one of csr or certificate to registerSigningKey.');
  }
  let certificate: X509Certificate;
  if (input.csr !== undefined) {
    // The sandbox certifies the CSR's key so the same key can sign request tokens (x5c).
    certificate = issueCertificate({ issuer: ca, csr: input.csr, usage: 'client', validityDays: input.validityDays ?? 365 });
  } else {
    [certificate] = parseCertificates(new TextEncoder().encode(String(input.certificate)));
  }
  return records.view(records.record(project, 'signing', certificate, { consumerKey: newConsumerKey() })) as IssuedKey & { consumerKey: string };
}

/** Makes a response-decryption key the one responses are encrypted to. */
export function activateResponseKey(records: KeyRecords, id: string): IssuedKey {
  const key = records.find(id);
  if (key.purpose !== 'response-decryption' || key.revoked) {
    throw new McapiError('ERR_SANDBOX', `Key ${id} is not a live response-decryption key.`);
  }
  for (const other of records.liveResponseKeys(key.project)) other.active = other === key;
  return records.view(key);
}

/** Revokes a key; an active response key hands over to the project's next live one. */
export function revokeKey(records: KeyRecords, id: string): IssuedKey {
  const key = records.find(id);
  key.revoked = true;
  if (key.active) {
    key.active = false;
    const [next] = records.liveResponseKeys(key.project);
    if (next) next.active = true;
  }
  return records.view(key);
}

function checkProject(project: unknown): string {
  if (project === undefined) return DEFAULT_PROJECT;
  if (typeof project !== 'string' || !projectPattern.test(project)) {
    throw new McapiError('ERR_INVALID_OPTION', 'project must be 1 to 64 letters, digits, ".", "_" or "-".');
  }
  return project;
}
