import { type KeyObject, createHash, createPublicKey } from 'node:crypto';
import { McapiError } from '@mcapi/errors';
import type { ExternalDecryptAlgorithm, ExternalPrivateKey, ExternalSignAlgorithm } from '@mcapi/keys';
import pkcs11js from 'pkcs11js';
import { decodeOaepSha256 } from './oaep-decode.js';
import { goneCodes, operationError, returnValueOf } from './pkcs11-errors.js';
import { pkcs11Uri } from './pkcs11-uri.js';
import type { SessionPool } from './session-pool.js';

/** A private key inside a PKCS#11 token: usable wherever mcapi takes a private key. */
export interface Pkcs11Key extends ExternalPrivateKey {
  /** CKA_LABEL. */
  readonly label: string;
  /** CKA_ID in hex ('' when the object has none). */
  readonly id: string;
  readonly keyType: 'rsa' | 'ec';
}

/** What a token key needs from its provider. */
export interface TokenContext {
  library: pkcs11js.PKCS11;
  pool: SessionPool;
  tokenLabel: string;
  /** Decides whether a failure means the token went away (sessions are then dropped). */
  isGone(error: unknown): boolean;
  /** `auto`: native CKM_RSA_PKCS_OAEP with SHA-256, falling back to raw RSA + software OAEP decoding. */
  oaep: 'auto' | 'token' | 'raw';
}

// Mechanism-parameter refusals: the token has OAEP but not with SHA-256 (SoftHSM2 2.6: SHA-1 only).
const paramRefusals = new Set([pkcs11js.CKR_ARGUMENTS_BAD, pkcs11js.CKR_MECHANISM_PARAM_INVALID, pkcs11js.CKR_MECHANISM_INVALID]);

const pss = {
  mechanism: pkcs11js.CKM_SHA256_RSA_PKCS_PSS,
  parameter: { type: pkcs11js.CK_PARAMS_RSA_PSS, hashAlg: pkcs11js.CKM_SHA256, mgf: pkcs11js.CKG_MGF1_SHA256, saltLen: 32 },
};
const oaepSha256 = {
  mechanism: pkcs11js.CKM_RSA_PKCS_OAEP,
  // source 1 = CKZ_DATA_SPECIFIED (an empty label, as JWE uses); the binding has no constant for it.
  parameter: { type: pkcs11js.CK_PARAMS_RSA_OAEP, hashAlg: pkcs11js.CKM_SHA256, mgf: pkcs11js.CKG_MGF1_SHA256, source: 1, sourceData: Buffer.alloc(0) },
};

/** Builds the key object over a private-key handle found on the token. */
export function tokenKey(context: TokenContext, handle: pkcs11js.Handle, publicKey: KeyObject, label: string, id: Buffer): Pkcs11Key {
  const { library, pool } = context;
  const keyType = publicKey.asymmetricKeyType === 'ec' ? 'ec' : 'rsa';
  const modulusBytes = keyType === 'rsa' ? Math.ceil((publicKey.asymmetricKeyDetails?.modulusLength ?? 2048) / 8) : 0;
  let oaep: 'token' | 'raw' | undefined = context.oaep === 'auto' ? undefined : context.oaep;

  const sign = async (algorithm: ExternalSignAlgorithm, data: Uint8Array): Promise<Uint8Array> => {
    const expected = keyType === 'ec' ? 'ES256' : undefined;
    if ((expected === 'ES256') !== (algorithm === 'ES256')) {
      throw new McapiError('ERR_KEY_UNSUPPORTED', `The token key ${label} is an ${keyType.toUpperCase()} key; it cannot sign ${algorithm}.`);
    }
    const mechanism = algorithm === 'RS256' ? { mechanism: pkcs11js.CKM_SHA256_RSA_PKCS } : algorithm === 'PS256' ? pss : { mechanism: pkcs11js.CKM_ECDSA };
    // CKM_ECDSA signs a digest (every token has it; CKM_ECDSA_SHA256 is optional) and returns r ‖ s,
    // which is JOSE's ES256 encoding as is.
    const input = algorithm === 'ES256' ? createHash('sha256').update(data).digest() : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    try {
      return await pool.use(async (session) => {
        library.C_SignInit(session, mechanism, handle);
        return library.C_SignAsync(session, input, Buffer.alloc(keyType === 'ec' ? 132 : modulusBytes));
      }, context.isGone);
    } catch (error) {
      throw operationError(error, `Signing with the token key ${label}`);
    }
  };

  const decryptOnce = (mode: 'token' | 'raw', data: Buffer) =>
    pool.use(async (session) => {
      library.C_DecryptInit(session, mode === 'token' ? oaepSha256 : { mechanism: pkcs11js.CKM_RSA_X_509 }, handle);
      return library.C_DecryptAsync(session, data, Buffer.alloc(modulusBytes));
    }, context.isGone);

  const decrypt = async (algorithm: ExternalDecryptAlgorithm, data: Uint8Array): Promise<Uint8Array> => {
    if (algorithm !== 'RSA-OAEP-256' || keyType !== 'rsa') throw new McapiError('ERR_PKCS11_OPERATION', 'Decryption failed.');
    const input = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    let output: Buffer | undefined;
    try {
      if (oaep === undefined) {
        try {
          output = await decryptOnce('token', input);
          oaep = 'token';
        } catch (error) {
          const code = returnValueOf(error);
          if (code === undefined || !paramRefusals.has(code)) throw error;
          oaep = 'raw';
        }
      }
      if (output === undefined) {
        const raw = await decryptOnce(oaep, input);
        output = oaep === 'raw' ? decodeOaepSha256(raw, modulusBytes) : raw;
      }
    } catch (error) {
      const code = returnValueOf(error);
      if (code !== undefined && goneCodes.has(code)) throw operationError(error, `Decrypting with the token key ${label}`);
      output = undefined;
    }
    // One message for every padding or ciphertext failure (no oracle).
    if (output === undefined) throw new McapiError('ERR_PKCS11_OPERATION', 'Decryption failed.');
    return output;
  };

  return {
    external: true,
    publicKey,
    reference: pkcs11Uri({ token: context.tokenLabel, label, id }),
    label,
    id: id.toString('hex'),
    keyType,
    sign,
    ...(keyType === 'rsa' && { decrypt }),
  };
}

/** The public half of a token key, read from the key objects (never from private values). */
export function readPublicKey(library: pkcs11js.PKCS11, session: pkcs11js.Handle, privateHandle: pkcs11js.Handle, publicHandle: pkcs11js.Handle | undefined): KeyObject {
  const [type] = library.C_GetAttributeValue(session, privateHandle, [{ type: pkcs11js.CKA_KEY_TYPE }]);
  const keyType = type?.value?.readUIntLE(0, Math.min(6, type.value.length));
  if (keyType === pkcs11js.CKK_RSA) {
    // RSA private key objects carry the modulus and public exponent as public attributes.
    const [modulus, exponent] = library.C_GetAttributeValue(session, publicHandle ?? privateHandle, [
      { type: pkcs11js.CKA_MODULUS },
      { type: pkcs11js.CKA_PUBLIC_EXPONENT },
    ]);
    return createPublicKey({
      key: { kty: 'RSA', n: modulus!.value.toString('base64url'), e: exponent!.value.toString('base64url') },
      format: 'jwk',
    });
  }
  if (keyType === pkcs11js.CKK_EC) {
    if (publicHandle === undefined) throw new McapiError('ERR_PKCS11_KEY_NOT_FOUND', 'The EC key has no public key object with the same id or label on the token.');
    const [params, point] = library.C_GetAttributeValue(session, publicHandle, [{ type: pkcs11js.CKA_EC_PARAMS }, { type: pkcs11js.CKA_EC_POINT }]);
    if (params!.value.toString('hex') !== p256Oid) throw new McapiError('ERR_KEY_UNSUPPORTED', 'The token EC key is not on P-256; ES256 needs P-256.');
    // CKA_EC_POINT is a DER OCTET STRING around the uncompressed point (some tokens give it bare).
    let raw = point!.value;
    if (raw.length === 67 && raw[0] === 0x04 && raw[1] === 0x41) raw = raw.subarray(2);
    if (raw.length !== 65 || raw[0] !== 0x04) throw new McapiError('ERR_PKCS11_OPERATION', 'The token returned an EC point in an unknown encoding.');
    return createPublicKey({
      key: { kty: 'EC', crv: 'P-256', x: raw.subarray(1, 33).toString('base64url'), y: raw.subarray(33).toString('base64url') },
      format: 'jwk',
    });
  }
  throw new McapiError('ERR_KEY_UNSUPPORTED', 'The token key is neither RSA nor EC.');
}

/** DER of the P-256 OID (1.2.840.10045.3.1.7), the CKA_EC_PARAMS of P-256 keys. */
export const p256Oid = '06082a8648ce3d030107';
