import { KeyObject, X509Certificate, createPublicKey, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { McapiError } from '@mcapi/errors';
import { jwkThumbprint, parseCertificates, toPublicKey } from '@mcapi/keys';
import type { JWK } from 'jose';

/** Options of {@link OAuth2ClientRegistry.register}: what a developer enters on the dashboard. */
export interface RegisterOAuth2ClientOptions {
  /** Default: a generated UUID. */
  clientId?: string;
  /** The client's public key (PEM, public JWK or `KeyObject`) or its certificate (PEM / `X509Certificate`). */
  publicKey: KeyObject | X509Certificate | JWK | string;
  /** Key id the client puts in its assertion header. Default: the key's RFC 7638 thumbprint. */
  kid?: string;
  /** Dashboard project the client's calls belong to. Default `default`. */
  project?: string;
  /** Redirect URIs allowed in the authorization code flow (exact match). */
  redirectUris?: readonly string[];
  /** Also issue a client secret (client_secret_basic) for the authorization code flow. */
  withSecret?: boolean;
}

/** A registered OAuth 2.0 client as the dashboard shows it (the secret only at registration). */
export interface RegisteredOAuth2Client {
  clientId: string;
  kid: string;
  project: string;
  /** `PS256` for RSA keys, `ES256` for P-256 keys (FAPI 2.0). */
  algorithm: 'PS256' | 'ES256';
  redirectUris: string[];
  /** Present in the answer of `register` with `withSecret`; never listed afterwards. */
  clientSecret?: string;
}

/** What the token and authorize endpoints look up. */
export interface OAuth2ClientRecord extends RegisteredOAuth2Client {
  publicKey: KeyObject;
  secret?: Buffer;
}

/** The OAuth 2.0 client registrations of a sandbox (in memory). */
export interface OAuth2ClientRegistry {
  register(options: RegisterOAuth2ClientOptions): RegisteredOAuth2Client;
  get(clientId: string): OAuth2ClientRecord | undefined;
  list(): RegisteredOAuth2Client[];
  remove(clientId: string): boolean;
  /** True when `secret` is the client's secret (constant-time comparison). */
  checkSecret(clientId: string, secret: string): boolean;
}

/** Creates an empty registry. */
export function createOAuth2ClientRegistry(): OAuth2ClientRegistry {
  const clients = new Map<string, OAuth2ClientRecord>();
  const view = ({ publicKey: _key, secret: _secret, clientSecret: _clientSecret, ...shown }: OAuth2ClientRecord): RegisteredOAuth2Client => ({
    ...shown,
    redirectUris: [...shown.redirectUris],
  });
  return {
    register(options) {
      if (typeof options !== 'object' || options === null) {
        throw new McapiError('ERR_INVALID_OPTION', 'registerOAuth2Client needs { publicKey } (PEM, JWK, KeyObject or certificate).');
      }
      const clientId = options.clientId ?? randomUUID();
      if (typeof clientId !== 'string' || !/^[\x21-\x7e]{1,128}$/.test(clientId) || clientId.includes(':')) {
        throw new McapiError('ERR_INVALID_OPTION', 'clientId must be 1–128 visible ASCII characters without ":".');
      }
      if (clients.has(clientId)) throw new McapiError('ERR_INVALID_OPTION', `OAuth 2.0 client ${clientId} is already registered; remove it first.`);
      const publicKey = readPublicKey(options.publicKey);
      const algorithm = algorithmOf(publicKey);
      const kid = options.kid ?? jwkThumbprint(publicKey);
      if (typeof kid !== 'string' || kid === '') throw new McapiError('ERR_INVALID_OPTION', 'kid must be a non-empty string.');
      const project = options.project ?? 'default';
      if (typeof project !== 'string' || project === '') throw new McapiError('ERR_INVALID_OPTION', 'project must be a non-empty string.');
      const redirectUris = [...(options.redirectUris ?? [])];
      for (const uri of redirectUris) {
        if (typeof uri !== 'string' || !URL.canParse(uri) || uri.includes('#')) {
          throw new McapiError('ERR_INVALID_OPTION', 'redirectUris must be absolute URLs without a fragment.');
        }
      }
      const record: OAuth2ClientRecord = { clientId, kid, project, algorithm, redirectUris, publicKey };
      const registered = view(record);
      if (options.withSecret === true) {
        const secret = randomBytes(24).toString('base64url');
        record.secret = Buffer.from(secret);
        registered.clientSecret = secret;
      }
      clients.set(clientId, record);
      return registered;
    },
    get: (clientId) => clients.get(clientId),
    list: () => [...clients.values()].map(view),
    remove: (clientId) => clients.delete(clientId),
    checkSecret(clientId, secret) {
      const expected = clients.get(clientId)?.secret;
      const given = Buffer.from(secret);
      return expected !== undefined && expected.length === given.length && timingSafeEqual(expected, given);
    },
  };
}

// Certificates and KeyObjects go through @mcapi/keys (the one place keys are read); only the
// forms it has no reader for (a public PEM key, a JWK) are turned into a KeyObject here.
function readPublicKey(input: unknown): KeyObject {
  try {
    if (input instanceof X509Certificate || input instanceof KeyObject) return toPublicKey(input);
    if (typeof input === 'string') {
      return input.includes('BEGIN CERTIFICATE') ? toPublicKey(parseCertificates(new TextEncoder().encode(input))[0]) : createPublicKey(input);
    }
    if (typeof input === 'object' && input !== null && 'kty' in input) {
      if ('d' in input) throw new McapiError('ERR_INVALID_OPTION', 'publicKey is a private JWK; register the public part only.');
      return createPublicKey({ key: input as JWK & { kty: string }, format: 'jwk' });
    }
  } catch (cause) {
    if (cause instanceof McapiError && cause.code === 'ERR_INVALID_OPTION') throw cause;
    throw new McapiError('ERR_INVALID_OPTION', 'publicKey could not be read: give a PEM public key, a certificate, a public JWK or a KeyObject.', { cause });
  }
  throw new McapiError('ERR_INVALID_OPTION', 'publicKey must be a PEM public key, a certificate, a public JWK or a KeyObject.');
}

// FAPI 2.0 Security Profile §5.4.1: PS256 with RSA ≥ 2048 bits, or ES256 with P-256.
function algorithmOf(key: KeyObject): 'PS256' | 'ES256' {
  const type = key.asymmetricKeyType;
  if (type === 'rsa' && (key.asymmetricKeyDetails?.modulusLength ?? 0) >= 2048) return 'PS256';
  if (type === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  throw new McapiError('ERR_KEY_UNSUPPORTED', 'publicKey must be RSA ≥ 2048 bits (PS256) or EC P-256 (ES256), as FAPI 2.0 requires.');
}
