import { type KeyObject, type X509Certificate, createPrivateKey, X509Certificate as X509 } from 'node:crypto';
import { McapiError } from '@mcapi/errors';
import type Forge from 'node-forge';
import { type KeySource, readSource } from './key-source.js';
import { loadForge } from './load-forge.js';
import { defaultPkcs12MaxIterations, withPkcs12IterationCap } from './pkcs12-iterations.js';
import { withEnvironmentPassphrase } from './passphrase-option.js';

/** Options of {@link loadPkcs12}. */
export interface LoadPkcs12Options {
  /** The PKCS#12 password. Mastercard sandbox downloads use `keystorepassword`. */
  passphrase?: string;
  /** Read the password from this environment variable instead (exclusive with `passphrase`). */
  passphraseEnv?: string;
  /** The entry's friendlyName. Optional when the file holds exactly one key. */
  alias?: string;
  /**
   * Most key-derivation iterations one step of the file may ask for (MAC, each encrypted bag);
   * all steps together may use ten times this. Default 100 000: OpenSSL writes 2048, Java
   * keytool 10 000 to 50 000. A file above it is refused with `ERR_KEY_UNSUPPORTED` before any
   * derivation runs, so a hostile file cannot hold the thread for minutes.
   */
  maxIterations?: number;
}

/** What a PKCS#12 entry holds, parsed once. */
export interface Pkcs12Contents {
  privateKey: KeyObject;
  /** The certificate whose public key matches the private key. */
  certificate: X509Certificate;
  /** Other certificates in the file (intermediates, CA), leaf excluded. */
  chain: X509Certificate[];
  /** The friendlyName of the chosen key, or undefined when the file names none. */
  alias: string | undefined;
}

/**
 * Loads a key and its certificate from PKCS#12 (`.p12`/`.pfx`). Both the modern form (PBES2 with
 * AES, SHA-256 MAC) and the legacy RC2-40/3DES form are read, in JavaScript: Node's TLS `pfx`
 * loader cannot read the legacy form under OpenSSL 3, and Mastercard's test keystores and older
 * dashboard downloads use it. Iteration counts above `maxIterations` (default 100 000) are
 * refused before any key derivation runs.
 *
 * @throws {McapiError} `ERR_KEY_FORMAT` when the data is not a readable PKCS#12 file.
 * @throws {McapiError} `ERR_KEY_PASSPHRASE` when the password is wrong.
 * @throws {McapiError} `ERR_KEY_ALIAS` when no entry has the given `alias` (the message lists the aliases present).
 * @throws {McapiError} `ERR_KEY_MISMATCH` when the private key does not belong to the certificate.
 * @throws {McapiError} `ERR_KEY_UNSUPPORTED` when the key type or PKCS#12 algorithm is not supported, or the file asks for more key-derivation iterations than `maxIterations`.
 *
 * @example
 * ```ts
 * const { privateKey, certificate } = await loadPkcs12({ path: 'sandbox.p12' }, { passphrase, alias: 'keyalias' });
 * ```
 */
export async function loadPkcs12(source: KeySource, options: LoadPkcs12Options): Promise<Pkcs12Contents> {
  const { bytes } = await readSource(source, 'PKCS#12');
  return parsePkcs12(bytes, options);
}

/**
 * Synchronous core of {@link loadPkcs12}, for bytes already in memory.
 *
 * @throws {McapiError} as {@link loadPkcs12}; also `ERR_KEY_PASSPHRASE` when no password is given,
 *   `ERR_KEY_ALIAS` when several keys fit and no `alias` chooses, and `ERR_INVALID_OPTION` when
 *   `maxIterations` is not a positive integer.
 *
 * @example
 * ```ts
 * const { privateKey } = parsePkcs12(bytes, { passphrase });
 * ```
 */
export function parsePkcs12(bytes: Uint8Array, givenOptions: LoadPkcs12Options): Pkcs12Contents {
  const options = withEnvironmentPassphrase(givenOptions ?? {});
  if (typeof options.passphrase !== 'string') {
    throw new McapiError('ERR_KEY_PASSPHRASE', 'A PKCS#12 file needs its password: pass options.passphrase or options.passphraseEnv.');
  }
  const maxIterations = options.maxIterations ?? defaultPkcs12MaxIterations;
  if (!Number.isSafeInteger(maxIterations) || maxIterations < 1) {
    throw new McapiError('ERR_INVALID_OPTION', 'options.maxIterations must be a positive integer.');
  }
  const passphrase = options.passphrase;
  const p12 = withPkcs12IterationCap(maxIterations, () => decodePkcs12(bytes, passphrase));
  const forge = loadForge();
  const keyBagTypes = [forge.pki.oids.pkcs8ShroudedKeyBag!, forge.pki.oids.keyBag!];
  const keyBags = keyBagTypes.flatMap((type) => p12.getBags({ bagType: type })[type] ?? []);
  const keys = keyBags.filter((bag) => bag.key !== undefined || bag.asn1 !== undefined);
  if (keys.length === 0) {
    throw new McapiError('ERR_KEY_FORMAT', 'The PKCS#12 file holds no private key (only certificates).');
  }
  const aliases = keys.map((bag) => bag.attributes?.friendlyName?.[0] as string | undefined);
  let chosen: Forge.pkcs12.Bag;
  if (options.alias !== undefined) {
    const index = aliases.indexOf(options.alias);
    if (index < 0) {
      throw new McapiError(
        'ERR_KEY_ALIAS',
        `No key with alias "${options.alias}" in the PKCS#12 file. Aliases present: ${describeAliases(aliases)}.`,
      );
    }
    chosen = keys[index]!;
  } else if (keys.length === 1) {
    chosen = keys[0]!;
  } else {
    throw new McapiError(
      'ERR_KEY_ALIAS',
      `The PKCS#12 file holds ${keys.length} keys; choose one with options.alias. Aliases present: ${describeAliases(aliases)}.`,
    );
  }
  const privateKey = bagToKeyObject(chosen);
  const certificates = (p12.getBags({ bagType: forge.pki.oids.certBag! })[forge.pki.oids.certBag!] ?? [])
    .filter((bag) => bag.cert !== undefined || bag.asn1 !== undefined)
    .map(certBagToX509);
  const leafIndex = certificates.findIndex((certificate) => certificate.checkPrivateKey(privateKey));
  if (leafIndex < 0) {
    throw new McapiError('ERR_KEY_MISMATCH', 'The PKCS#12 file holds no certificate for its private key.');
  }
  const certificate = certificates[leafIndex]!;
  const chain = certificates.filter((_, index) => index !== leafIndex);
  return { privateKey, certificate, chain, alias: chosen.attributes?.friendlyName?.[0] as string | undefined };
}

function decodePkcs12(bytes: Uint8Array, passphrase: string): Forge.pkcs12.Pkcs12Pfx {
  const forge = loadForge();
  let asn1: Forge.asn1.Asn1;
  try {
    asn1 = forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(bytes).toString('binary')));
  } catch (cause) {
    throw new McapiError('ERR_KEY_FORMAT', 'The data is not DER-encoded PKCS#12.', { cause });
  }
  try {
    return forge.pkcs12.pkcs12FromAsn1(asn1, true, passphrase);
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : '';
    if (/MAC could not be verified|Invalid password|bad decrypt/i.test(message)) {
      throw new McapiError('ERR_KEY_PASSPHRASE', 'The PKCS#12 password is wrong.', { cause });
    }
    if (/unsupported|not supported/i.test(message)) {
      throw new McapiError('ERR_KEY_UNSUPPORTED', `This PKCS#12 file uses an unsupported algorithm: ${message}`, {
        cause,
      });
    }
    throw new McapiError('ERR_KEY_FORMAT', 'The data is not a readable PKCS#12 file.', { cause });
  }
}

function bagToKeyObject(bag: Forge.pkcs12.Bag): KeyObject {
  const forge = loadForge();
  // A decrypted shrouded bag gives forge's RSA key; EC keys stay as ASN.1 (forge cannot model
  // them), so the PrivateKeyInfo DER is handed to Node in both cases.
  const info = bag.key
    ? forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key as Forge.pki.rsa.PrivateKey))
    : bag.asn1!;
  const der = Buffer.from(forge.asn1.toDer(info).getBytes(), 'binary');
  try {
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } catch (cause) {
    throw new McapiError('ERR_KEY_FORMAT', 'The PKCS#12 private key could not be read.', { cause });
  }
}

function certBagToX509(bag: Forge.pkcs12.Bag): X509Certificate {
  const forge = loadForge();
  const asn1 = bag.cert ? forge.pki.certificateToAsn1(bag.cert) : bag.asn1!;
  return new X509(Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary'));
}

function describeAliases(aliases: (string | undefined)[]): string {
  return aliases.map((alias) => (alias === undefined ? '(unnamed)' : `"${alias}"`)).join(', ');
}
