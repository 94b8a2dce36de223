import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * EME-OAEP decoding (RFC 8017 §7.1.2 step 3) with SHA-256 and MGF1-SHA-256 and an empty label,
 * over the output of a raw RSA private-key operation done inside the token (CKM_RSA_X_509). Used
 * only for tokens whose CKM_RSA_PKCS_OAEP refuses SHA-256 (SoftHSM2 ≤ 2.6 accepts SHA-1 only).
 * Every failure is the same `undefined`, reached after the same work: no padding oracle.
 */
export function decodeOaepSha256(encoded: Uint8Array, modulusBytes: number): Buffer | undefined {
  const hashLength = 32;
  if (modulusBytes < 2 * hashLength + 2) return undefined;
  // The token may strip leading zero bytes: left-pad to the modulus length.
  const em = Buffer.alloc(modulusBytes);
  if (encoded.length > modulusBytes) return undefined;
  em.set(encoded, modulusBytes - encoded.length);
  const maskedSeed = em.subarray(1, 1 + hashLength);
  const maskedDb = em.subarray(1 + hashLength);
  const seed = xor(maskedSeed, mgf1(maskedDb, hashLength));
  const db = xor(maskedDb, mgf1(seed, maskedDb.length));
  const labelHash = createHash('sha256').digest();
  let bad = em[0]! | (timingSafeEqual(db.subarray(0, hashLength), labelHash) ? 0 : 1);
  // Find the 0x01 separator after the zero padding without branching on secret data.
  let separator = 0;
  let looking = 1;
  for (let i = hashLength; i < db.length; i++) {
    const byte = db[i]!;
    const isOne = Number(byte === 1);
    const isZero = Number(byte === 0);
    separator += looking * isOne * i;
    bad |= looking & Number(!isOne && !isZero);
    looking &= Number(!isOne);
  }
  bad |= looking;
  return bad === 0 ? db.subarray(separator + 1) : undefined;
}

function mgf1(seed: Uint8Array, length: number): Buffer {
  const blocks: Buffer[] = [];
  const counter = Buffer.alloc(4);
  for (let i = 0, made = 0; made < length; i++, made += 32) {
    counter.writeUInt32BE(i);
    blocks.push(createHash('sha256').update(seed).update(counter).digest());
  }
  return Buffer.concat(blocks).subarray(0, length);
}

function xor(a: Uint8Array, b: Uint8Array): Buffer {
  const out = Buffer.alloc(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! ^ b[i]!;
  return out;
}
