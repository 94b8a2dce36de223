import { KeyObject, X509Certificate } from 'node:crypto';
import { McapiError } from '@mcapi/errors';
import {
  assertCertificateCurrent,
  assertKeyMatchesCertificate,
  encodeCertificateChainPem,
  type LoadedKey,
  parseCertificates,
  parsePkcs12,
  isExternalPrivateKey,
  parsePrivateKey,
  publicKeyFingerprint,
} from '@mcapi/keys';
import { isMaterialSource, readMaterial } from './read-material.js';
import type { MtlsCredentials, PemCredentials, Pkcs12Credentials, TransportWarningHandler } from './types.js';

/** Credentials checked and re-encoded as the PEM that Node's TLS layer is given. */
export interface TlsIdentity {
  /** PKCS#8 PEM, unencrypted: it only ever lives in memory, inside the TLS context. */
  key: string;
  /** Leaf certificate first, then intermediates. */
  cert: string;
  certificate: X509Certificate;
  /** SHA-256 public-key fingerprint of the certificate, for messages and logs. */
  fingerprint: string;
}

/** Options of {@link resolveCredentials}. */
export interface ResolveCredentialsOptions {
  expiryWarningDays: number;
  onWarning: TransportWarningHandler;
}

/**
 * Parses credentials with `@mcapi/keys` and checks them: the key belongs to the certificate and
 * the certificate is inside its validity window (a soon-expiring one only warns). Everything
 * handed to TLS is PEM produced from parsed objects, so a legacy RC2 PKCS#12, which OpenSSL 3
 * refuses as `pfx`, works the same as any other form.
 */
export function resolveCredentials(credentials: MtlsCredentials, options: ResolveCredentialsOptions): TlsIdentity {
  const { privateKey, chain } = parseParts(credentials, options.onWarning);
  const [certificate] = chain;
  assertKeyMatchesCertificate(privateKey, certificate);
  const validity = assertCertificateCurrent(certificate, {
    warnWithinDays: options.expiryWarningDays,
    expiredHint: 'Create a new key and CSR (mcapi-keytool rotate), upload it on Mastercard Developers, import the certificate and activate it.',
  });
  if (validity.status === 'expiring') {
    options.onWarning(
      `The mTLS client certificate "${oneLine(certificate.subject)}" expires on ${validity.notAfter.toISOString()} (${validity.daysLeft} days left). Create a new key and CSR (mcapi-keytool rotate), upload it on Mastercard Developers, then call transport.reload().`,
    );
  }
  return {
    key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    cert: encodeCertificateChainPem(certificate, chain.slice(1)),
    certificate,
    fingerprint: publicKeyFingerprint(certificate),
  };
}

interface Parts {
  privateKey: KeyObject;
  chain: [X509Certificate, ...X509Certificate[]];
}

function parseParts(credentials: MtlsCredentials, onWarning: TransportWarningHandler): Parts {
  if (typeof credentials !== 'object' || credentials === null) {
    throw new McapiError(
      'ERR_INVALID_OPTION',
      'credentials must be { cert, key, passphrase? }, { pkcs12, passphrase, alias? } or a keyring entry (keyring.active("mtls", env)).',
    );
  }
  if ('pkcs12' in credentials) return fromPkcs12(credentials, onWarning);
  if ('entry' in credentials && 'publicKey' in credentials) return fromKeyring(credentials);
  if ('cert' in credentials && 'key' in credentials) return fromPem(credentials, onWarning);
  throw new McapiError(
    'ERR_INVALID_OPTION',
    'credentials must hold cert and key, pkcs12 and passphrase, or be a keyring entry (keyring.active("mtls", env)).',
  );
}

function fromPkcs12(credentials: Pkcs12Credentials, onWarning: TransportWarningHandler): Parts {
  const { pkcs12, passphrase, passphraseEnv, alias } = credentials;
  if (!(pkcs12 instanceof Uint8Array) && !isMaterialSource(pkcs12)) {
    throw new McapiError('ERR_INVALID_OPTION', 'credentials.pkcs12 must be bytes, { path } or { env }.');
  }
  const bytes = readMaterial(pkcs12, 'credentials.pkcs12', onWarning);
  const contents = parsePkcs12(bytes, {
    ...(passphrase !== undefined && { passphrase }),
    ...(passphraseEnv !== undefined && { passphraseEnv }),
    ...(alias !== undefined && { alias }),
  });
  return { privateKey: contents.privateKey, chain: [contents.certificate, ...contents.chain] };
}

function fromKeyring(loaded: LoadedKey): Parts {
  const { entry, privateKey, certificate, chain } = loaded;
  if (entry.purpose !== 'mtls') {
    throw new McapiError(
      'ERR_INVALID_OPTION',
      `credentials: keyring entry ${entry.id} is a ${entry.purpose} key; pass keyring.active('mtls', env).`,
    );
  }
  if (privateKey === undefined || certificate === undefined) {
    throw new McapiError(
      'ERR_INVALID_OPTION',
      `credentials: keyring entry ${entry.id} has no ${privateKey === undefined ? 'private key' : 'certificate'} yet. Import the certificate from Mastercard Developers (mcapi-keytool import-cert) first.`,
    );
  }
  if (isExternalPrivateKey(privateKey)) {
    // Node's TLS takes a private key as bytes or through an OpenSSL engine, never as an object
    // that signs on request; the engine route is @mcapi/pkcs11's tlsEngineKeyOptions.
    throw new McapiError(
      'ERR_INVALID_OPTION',
      `credentials: the key of keyring entry ${entry.id} is held in an HSM (${privateKey.reference}). Node's TLS uses a token key only through an OpenSSL engine: build the connection with tlsEngineKeyOptions from @mcapi/pkcs11 and pass it as a dispatcher.`,
    );
  }
  return { privateKey, chain: [certificate, ...chain] };
}

function fromPem(credentials: PemCredentials, onWarning: TransportWarningHandler): Parts {
  const { cert, key, passphrase, passphraseEnv } = credentials;
  let chain: [X509Certificate, ...X509Certificate[]];
  if (cert instanceof X509Certificate) chain = [cert];
  else if (Array.isArray(cert)) {
    if (cert.length === 0 || !cert.every((item) => item instanceof X509Certificate)) {
      throw new McapiError('ERR_INVALID_OPTION', 'credentials.cert as an array must hold X509Certificates, leaf first.');
    }
    chain = [...cert] as [X509Certificate, ...X509Certificate[]];
  } else {
    chain = parseCertificates(readMaterial(cert as Exclude<typeof cert, X509Certificate | readonly X509Certificate[]>, 'credentials.cert'));
  }
  const privateKey =
    key instanceof KeyObject
      ? key
      : parsePrivateKey(readMaterial(key, 'credentials.key', onWarning), {
          ...(passphrase !== undefined && { passphrase }),
          ...(passphraseEnv !== undefined && { passphraseEnv }),
        });
  return { privateKey, chain };
}

function oneLine(subject: string): string {
  return subject.replace(/\n/g, ', ');
}
