// Big bodies (issue #18 §4): the lossless JSON parser and serializer against V8's JSON.parse and
// JSON.stringify on 1 KB, 128 KB and 1 MB bodies, with and without numbers that need protecting
// (19-digit card numbers, exact decimals such as 105.10); and JWE of a 1 MB payload against the
// raw node:crypto floor both ways.
import { X509Certificate, constants, createCipheriv, createDecipheriv, createPrivateKey, privateDecrypt, publicEncrypt, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { decrypt, encrypt, parseJsonLossless, stringifyJsonLossless } from '@mcapi/jwe';
import { type Measurement, type Suite, compare, ratioLines, target } from '../harness.js';

const sizes = [
  ['1 KB', 1024],
  ['128 KB', 128 * 1024],
  ['1 MB', 1024 * 1024],
] as const;

// An endpoint-guide / balances-like document: records with ids, names, dates, flags, amounts.
// `exact` writes every card number as a 19-digit JSON integer and amounts with trailing zeros.
function body(bytes: number, exact: boolean): string {
  const records: string[] = [];
  let length = 12;
  for (let index = 0; length < bytes; index += 1) {
    const pan = exact ? `52910700${String(index).padStart(11, '0')}` : `"52910700${String(index).padStart(8, '0')}"`;
    const amount = exact ? `${100 + (index % 900)}.${index % 10}0` : `${100 + (index % 900)}.${(index % 9) + 1}${(index % 7) + 1}`;
    const record =
      `{"id":"acct-${index}","cardNumber":${pan},"holder":{"name":"Holder ${index}","country":"USA","segment":"CONSUMER"},` +
      `"balance":{"amount":${amount},"currency":"USD","asOf":"2026-12-04T10:00:00.000Z"},"limits":[${index % 7},${index % 13},2500],` +
      `"active":${index % 2 === 0},"note":null}`;
    records.push(record);
    length += record.length + 1;
  }
  return `{"items":[${records.join(',')}]}`;
}

const vectors = new URL('../../packages/jwe/test/vectors/', import.meta.url);
const privateKey = createPrivateKey(readFileSync(new URL('test_key.pkcs8.pem', vectors)));
const certificate = new X509Certificate(readFileSync(new URL('test_certificate.pem', vectors)));
const publicKey = certificate.publicKey;
const header = Buffer.from(JSON.stringify({ alg: 'RSA-OAEP-256', enc: 'A256GCM', kid: 'bench', cty: 'application/json' })).toString('base64url');
const aad = Buffer.from(header, 'latin1');

function floorEncrypt(plaintext: string): string {
  const cek = randomBytes(32);
  const iv = randomBytes(12);
  const encryptedKey = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, cek);
  const cipher = createCipheriv('aes-256-gcm', cek, iv);
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `${header}.${encryptedKey.toString('base64url')}.${iv.toString('base64url')}.${ciphertext.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}`;
}

function floorDecrypt(token: string): Buffer {
  const [h, k, i, c, t] = token.split('.') as [string, string, string, string, string];
  const cek = privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, Buffer.from(k, 'base64url'));
  const decipher = createDecipheriv('aes-256-gcm', cek, Buffer.from(i, 'base64url'));
  decipher.setAAD(Buffer.from(h, 'latin1'));
  decipher.setAuthTag(Buffer.from(t, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(c, 'base64url')), decipher.final()]);
}

export const suite: Suite = {
  name: 'big bodies (lossless JSON, 1 MB JWE)',
  async run() {
    const lines: string[] = [];
    const missed: string[] = [];
    const measurements: Measurement[] = [];
    const check = (results: Measurement[], ours: string, baseline: string, ratio: number) => {
      const result = target(results, ours, baseline, ratio);
      lines.push(result.line);
      if (result.missed) missed.push(result.missed);
    };

    for (const [label, bytes] of sizes) {
      for (const exact of [false, true]) {
        const text = body(bytes, exact);
        const kind = exact ? 'exact numbers' : 'plain';
        // Our cost may be at most 1.3× (plain: the fast path) or 2.5× (numbers to protect) V8's.
        const limit = exact ? 2.5 : 1.3;
        const lossless = parseJsonLossless(text);
        if (stringifyJsonLossless(lossless) !== text) throw new Error(`json bench: ${label} ${kind} does not round-trip`);
        const plain = JSON.parse(text) as unknown;
        const parse = await compare([
          { name: `JSON.parse ${label} ${kind}`, run: () => JSON.parse(text) },
          { name: `parseJsonLossless ${label} ${kind}`, run: () => parseJsonLossless(text) },
        ]);
        const stringify = await compare([
          { name: `JSON.stringify ${label} ${kind}`, run: () => JSON.stringify(plain) },
          { name: `stringifyJsonLossless ${label} ${kind}`, run: () => stringifyJsonLossless(lossless) },
        ]);
        lines.push(`${label} ${kind}: ${text.length.toLocaleString('en-US')} bytes`);
        lines.push(...ratioLines(parse, `JSON.parse ${label} ${kind}`), ...ratioLines(stringify, `JSON.stringify ${label} ${kind}`));
        check(parse, `parseJsonLossless ${label} ${kind}`, `JSON.parse ${label} ${kind}`, Number((1 / limit).toFixed(2)));
        check(stringify, `stringifyJsonLossless ${label} ${kind}`, `JSON.stringify ${label} ${kind}`, Number((1 / limit).toFixed(2)));
        measurements.push(...parse, ...stringify);
      }
    }

    const megabyte = body(1024 * 1024, true);
    const token = await encrypt(megabyte, { key: certificate });
    const floorToken = floorEncrypt(megabyte);
    if (new TextDecoder().decode((await decrypt(token, { keys: privateKey })).plaintext) !== megabyte) throw new Error('json bench: 1 MB JWE does not round-trip');
    lines.push(`1 MB JWE: ${megabyte.length.toLocaleString('en-US')} bytes of JSON, RSA-2048 + A256GCM`);
    const encryptions = await compare([
      { name: 'floor encrypt 1 MB', run: () => floorEncrypt(megabyte) },
      { name: 'mcapi encrypt 1 MB', run: () => encrypt(megabyte, { key: certificate }) },
    ]);
    const decryptions = await compare([
      { name: 'floor decrypt 1 MB', run: () => floorDecrypt(floorToken) },
      { name: 'mcapi decrypt 1 MB', run: () => decrypt(token, { keys: privateKey }) },
    ]);
    lines.push(...ratioLines(encryptions, 'floor encrypt 1 MB'), ...ratioLines(decryptions, 'floor decrypt 1 MB'));
    check(encryptions, 'mcapi encrypt 1 MB', 'floor encrypt 1 MB', 0.8);
    check(decryptions, 'mcapi decrypt 1 MB', 'floor decrypt 1 MB', 0.8);
    measurements.push(...encryptions, ...decryptions);
    return { measurements, lines, missed };
  },
};
