import { type KeyObject, X509Certificate, randomBytes } from 'node:crypto';
import { McapiError } from '@mcapi/errors';
import { assertKeyMatchesCertificate, certificateFingerprint, isExternalPrivateKey, jwkThumbprint, parseCertificates, publicKeyFingerprint } from '@mcapi/keys';
import { type JwtSigningKey, signJwt } from '../jws/sign-jwt.js';

/** JWS algorithms of the Cross-Border request token. */
export type RequestTokenAlgorithm = 'RS256' | 'ES256';

/**
 * What the `x5t#S256` header holds: `'jwk'` (default), the RFC 7638 JWK thumbprint of the signing
 * public key, as Mastercard's own generator writes it; `'certificate'`, the SHA-256 of the
 * certificate DER, as RFC 7515 §4.1.8 describes it.
 */
export type RequestTokenThumbprint = 'jwk' | 'certificate';

/** Options of {@link createRequestTokenSigner}. */
export interface RequestTokenSignerOptions {
  /** The consumer key of the Mastercard Developers project: the token's `kid`. */
  consumerKey: string;
  /** The project's private key (the one used for OAuth 1.0a), parsed once or in an HSM: RSA or EC P-256. */
  signingKey: JwtSigningKey;
  /** The signing certificate (sent in `x5c`): an `X509Certificate`, PEM text or DER bytes. */
  certificate: X509Certificate | string | Uint8Array;
  /** `RS256` for RSA keys (default), `ES256` for P-256 keys; derived from the key when absent. */
  algorithm?: RequestTokenAlgorithm;
  /** Form of the `x5t#S256` header. Default `'jwk'`, what Mastercard's generator sends. */
  thumbprint?: RequestTokenThumbprint;
  /** Clock in ms. Default `Date.now`. */
  now?: () => number;
}

/** Produces a fresh request token per request. */
export interface RequestTokenSigner {
  /** A freshly signed JWT (compact JWS). */
  token(): Promise<string>;
  /** The `Authorization` header value: `Bearer <fresh JWT>`. */
  authorize(): Promise<string>;
}

// Cross-Border request tokens live 15 minutes (mastercard-security.md §4).
const lifetimeSeconds = 15 * 60;

/**
 * Creates the signer of Cross-Border "request tokens" (MTS EU/UK customers): every request
 * carries a new JWT with header `alg` RS256/ES256, `typ: JWT`, `cty: JWS`, `kid` = consumer key,
 * `x5c` = [signing certificate], `x5t#S256`, and claims `iat`, `nbf`, `exp` (+15 min), `jti`,
 * in the form Mastercard's own generator (`send-util-crossborder-oauth2`) writes: `x5t#S256` is
 * the JWK thumbprint of the signing public key unless `thumbprint: 'certificate'` is asked for.
 *
 * @throws {McapiError} `ERR_INVALID_OPTION` when an option is invalid (at construction).
 * @throws {McapiError} `ERR_KEY_UNSUPPORTED` when the key type does not fit the algorithm.
 * @throws {McapiError} `ERR_OAUTH_SIGNING_FAILED` when (the returned signer) signing failed.
 *
 * @example
 * ```ts
 * const requestToken = createRequestTokenSigner({ consumerKey, signingKey, certificate: await loadCertificate({ path: 'signing.pem' }) });
 * await fetch(url, { headers: { authorization: await requestToken.authorize() } });
 * ```
 */
export function createRequestTokenSigner(options: RequestTokenSignerOptions): RequestTokenSigner {
  if (typeof options !== 'object' || options === null) {
    throw new McapiError('ERR_INVALID_OPTION', 'createRequestTokenSigner needs options { consumerKey, signingKey, certificate }.');
  }
  const { consumerKey, signingKey } = options;
  if (typeof consumerKey !== 'string' || consumerKey === '') {
    throw new McapiError('ERR_INVALID_OPTION', 'options.consumerKey is empty: copy the consumer key from your Mastercard Developers project.');
  }
  const external = isExternalPrivateKey(signingKey);
  if (!external && (typeof signingKey !== 'object' || signingKey === null || (signingKey as KeyObject).type !== 'private')) {
    throw new McapiError(
      'ERR_INVALID_OPTION',
      'options.signingKey must be a private key KeyObject (load it once with loadPrivateKey from @mcapi/keys) or an HSM key (openPkcs11 from @mcapi/pkcs11).',
    );
  }
  const algorithm = algorithmFor(external ? signingKey.publicKey : signingKey, options.algorithm);
  const certificate = toCertificate(options.certificate);
  if (!external) assertKeyMatchesCertificate(signingKey, certificate);
  else if (publicKeyFingerprint(signingKey.publicKey) !== publicKeyFingerprint(certificate)) {
    throw new McapiError('ERR_KEY_MISMATCH', `The HSM key ${signingKey.reference} does not belong to certificate "${certificate.subject.replace(/\n/g, ', ')}".`);
  }
  const now = options.now ?? Date.now;
  if (typeof now !== 'function') throw new McapiError('ERR_INVALID_OPTION', 'options.now must be a function.');
  const thumbprint = options.thumbprint ?? 'jwk';
  if (thumbprint !== 'jwk' && thumbprint !== 'certificate') {
    throw new McapiError('ERR_INVALID_OPTION', `options.thumbprint must be 'jwk' or 'certificate', not ${JSON.stringify(thumbprint)}.`);
  }

  const header = {
    alg: algorithm,
    typ: 'JWT',
    cty: 'JWS',
    kid: consumerKey,
    // x5c holds standard base64 DER (RFC 7515 §4.1.6). Mastercard's generator fills x5t#S256
    // with the RFC 7638 thumbprint of the public key (mastercard-security.md §7), not the
    // certificate hash of RFC 7515 §4.1.8; both are base64url SHA-256 from @mcapi/keys.
    x5c: [certificate.raw.toString('base64')],
    'x5t#S256': thumbprint === 'jwk' ? jwkThumbprint(certificate) : certificateFingerprint(certificate, 'base64url'),
  };

  const token = async (): Promise<string> => {
    const iat = Math.floor(now() / 1000);
    try {
      // 128 random bits as 32 hex digits: the shape of the generator's jti.
      return await signJwt(header, { jti: randomBytes(16).toString('hex'), iat, nbf: iat, exp: iat + lifetimeSeconds }, signingKey);
    } catch (cause) {
      throw new McapiError('ERR_OAUTH_SIGNING_FAILED', `Signing the request token (${algorithm}) failed; see the cause.`, { cause });
    }
  };
  return {
    token,
    async authorize() {
      return `Bearer ${await token()}`;
    },
  };
}

function algorithmFor(key: KeyObject, requested: unknown): RequestTokenAlgorithm {
  if (requested !== undefined && requested !== 'RS256' && requested !== 'ES256') {
    throw new McapiError('ERR_INVALID_OPTION', `options.algorithm must be 'RS256' or 'ES256', not ${JSON.stringify(requested)}.`);
  }
  const type = key.asymmetricKeyType;
  const curve = key.asymmetricKeyDetails?.namedCurve;
  const natural: RequestTokenAlgorithm | undefined =
    type === 'rsa' ? 'RS256' : type === 'ec' && (curve === 'prime256v1' || curve === 'P-256') ? 'ES256' : undefined;
  if (natural === undefined) {
    throw new McapiError(
      'ERR_KEY_UNSUPPORTED',
      `options.signingKey is a ${type === 'ec' ? `${curve ?? 'unknown'} EC` : (type ?? 'unknown')} key; request tokens are signed with RSA (RS256) or EC P-256 (ES256).`,
    );
  }
  if (requested !== undefined && requested !== natural) {
    throw new McapiError('ERR_INVALID_OPTION', `options.algorithm ${requested} does not fit the ${type} signing key; use ${natural}.`);
  }
  return natural;
}

function toCertificate(value: unknown): X509Certificate {
  if (value instanceof X509Certificate) return value;
  if (typeof value === 'string') return parseCertificates(new TextEncoder().encode(value))[0];
  if (value instanceof Uint8Array) return parseCertificates(value)[0];
  throw new McapiError('ERR_INVALID_OPTION', 'options.certificate must be an X509Certificate, PEM text or DER bytes.');
}
