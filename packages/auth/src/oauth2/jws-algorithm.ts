import type { KeyObject } from 'node:crypto';
import { McapiError } from '@mcapi/errors';
import { isExternalPrivateKey } from '@mcapi/keys';

/** JWS algorithms FAPI 2.0 allows and Mastercard's platform OAuth 2.0 accepts. */
export type Fapi2Algorithm = 'PS256' | 'ES256';

// FAPI 2.0 Security Profile §5.4.1: RSA keys of at least 2048 bits, EC keys of at least 160
// bits; P-256 (ES256) is the only curve used here.
const minimumRsaBits = 2048;

/** The FAPI 2.0 algorithm of a private key, refusing keys below the profile's sizes. */
export function fapi2AlgorithmFor(key: unknown, option: string): Fapi2Algorithm {
  // An HSM key (ExternalPrivateKey) is judged by its public half: same type, same size.
  const keyObject = (isExternalPrivateKey(key) ? key.publicKey : key) as KeyObject;
  if (typeof key !== 'object' || key === null || (keyObject.type !== 'private' && !isExternalPrivateKey(key))) {
    throw new McapiError(
      'ERR_INVALID_OPTION',
      `${option} must be a private key KeyObject (load it once with loadPrivateKey from @mcapi/keys) or an HSM key (openPkcs11 from @mcapi/pkcs11).`,
    );
  }
  const type = keyObject.asymmetricKeyType;
  if (type === 'rsa-pss') {
    // An RSASSA-PSS-only key (OID id-RSASSA-PSS) cannot be written as a JWK (DPoP proofs carry
    // the public JWK) and may restrict its hash and salt: refused here, not by Node mid-request.
    throw new McapiError(
      'ERR_KEY_UNSUPPORTED',
      `${option} is an RSA-PSS key (id-RSASSA-PSS); PS256 here signs with a plain RSA key (rsaEncryption), which makes the same PSS signatures. Generate or export the key as an ordinary RSA key.`,
    );
  }
  if (type === 'rsa') {
    const bits = keyObject.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < minimumRsaBits) {
      throw new McapiError('ERR_KEY_UNSUPPORTED', `${option} is a ${bits}-bit RSA key; FAPI 2.0 requires at least ${minimumRsaBits} bits.`);
    }
    return 'PS256';
  }
  if (type === 'ec') {
    const curve = keyObject.asymmetricKeyDetails?.namedCurve;
    if (curve === 'prime256v1' || curve === 'P-256') return 'ES256';
    throw new McapiError('ERR_KEY_UNSUPPORTED', `${option} is an EC key on ${curve ?? 'an unknown curve'}; use P-256 (ES256).`);
  }
  throw new McapiError('ERR_KEY_UNSUPPORTED', `${option} is a ${type ?? 'unknown'} key; FAPI 2.0 here uses RSA (PS256) or EC P-256 (ES256).`);
}
