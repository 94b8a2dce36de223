import { randomBytes } from 'node:crypto';
import { McapiError } from '@mcapi/errors';
import pkcs11js from 'pkcs11js';
import { parsePkcs11Uri } from './pkcs11-uri.js';
import { goneCodes, loginError, operationError, returnValueOf } from './pkcs11-errors.js';
import { createSessionPool } from './session-pool.js';
import { type Pkcs11Key, type TokenContext, p256Oid, readPublicKey, tokenKey } from './token-key.js';

/** Options of {@link openPkcs11}. */
export interface OpenPkcs11Options {
  /** Path of the vendor's PKCS#11 module, e.g. `/usr/lib/libCryptoki2_64.so` (Thales Luna). */
  module: string;
  /** The token by its label (CKA token label). Give this or `slot`. */
  tokenLabel?: string;
  /** The token by its slot id. Give this or `tokenLabel`. */
  slot?: number;
  /** The user PIN. Prefer `pinEnv`: a PIN in code ends up in source control. */
  pin?: string;
  /** Name of the environment variable holding the user PIN. */
  pinEnv?: string;
  /** Most sessions open at once (operations in flight). Default 4. */
  maxSessions?: number;
  /**
   * How RSA-OAEP-256 key unwrapping runs: `token` = CKM_RSA_PKCS_OAEP with SHA-256 in the token
   * (Luna, CloudHSM, nShield); `raw` = a raw RSA private-key operation in the token (CKM_RSA_X_509)
   * and OAEP decoding in the process; `auto` (default) = `token`, or `raw` when the token refuses
   * SHA-256 OAEP parameters (SoftHSM2 2.6). The private key stays in the token either way.
   */
  oaep?: 'auto' | 'token' | 'raw';
}

/** Which key: by CKA_LABEL, by CKA_ID (hex), or both. */
export interface Pkcs11KeySelector {
  label?: string;
  id?: string;
}

/** Options of {@link Pkcs11Provider.generateKeyPair}. */
export interface GenerateTokenKeyOptions {
  label: string;
  /** CKA_ID in hex. Default: 8 random bytes. */
  id?: string;
  /** `rsa` (default, 2048 or more bits) or `ec` (P-256). */
  type?: 'rsa' | 'ec';
  modulusBits?: number;
}

/** An open, logged-in PKCS#11 token. */
export interface Pkcs11Provider {
  readonly tokenLabel: string;
  /** Finds a private key (and its public half) on the token. */
  key(selector: Pkcs11KeySelector): Promise<Pkcs11Key>;
  /**
   * The key a `pkcs11:` URI names (what `keytool csr --pkcs11` records as `privateKeyRef`), on
   * this token. The provider is what `openKeyring(dir, { externalKeys })` takes, so a keyring's
   * HSM-held keys sign and decrypt like its file keys.
   *
   * @throws {McapiError} `ERR_PKCS11_KEY_NOT_FOUND` when the URI names another token, or no key.
   */
  resolve(reference: string): Promise<Pkcs11Key>;
  /** Generates a key pair inside the token: the private key is sensitive and never extractable. */
  generateKeyPair(options: GenerateTokenKeyOptions): Promise<Pkcs11Key>;
  /** Closes the sessions (logging out) and releases the module when no other provider uses it. */
  close(): Promise<void>;
}

// One initialised module per path and process: C_Initialize may run only once per library.
const modules = new Map<string, { library: pkcs11js.PKCS11; users: number }>();

/**
 * Opens a PKCS#11 token and logs in: its keys sign and unwrap inside the token and plug in
 * wherever mcapi takes a private key (OAuth 1.0a signer, FAPI 2.0 client, request token, JWE
 * decryption key sets). Sessions are pooled and operations run on libuv's threads, off the event
 * loop.
 *
 * @throws {McapiError} `ERR_PKCS11_MODULE` when the module cannot be loaded or initialised; `ERR_PKCS11_TOKEN_NOT_PRESENT` when no token has the label or slot; `ERR_PKCS11_PIN` when the PIN variable is unset or the token refuses the PIN; `ERR_INVALID_OPTION` for an invalid option; (returned functions) `ERR_PKCS11_KEY_NOT_FOUND` when no key or several keys fit, `ERR_FILE_EXISTS` when `generateKeyPair`'s label is taken, `ERR_PKCS11_OPERATION` when the token refuses an operation, `ERR_KEY_UNSUPPORTED` for a key type it cannot use.
 *
 * @example
 * ```ts
 * const hsm = await openPkcs11({ module: '/opt/cloudhsm/lib/libcloudhsm_pkcs11.so', tokenLabel: 'hsm1', pinEnv: 'HSM_PIN' });
 * const signingKey = await hsm.key({ label: 'mastercard-oauth' });
 * const signer = createOAuth1Signer({ consumerKey, signingKey });
 * const keys = [await hsm.key({ label: 'mastercard-decryption-2026' })];
 * const { plaintext } = await decrypt(token, { keys });
 * ```
 */
export async function openPkcs11(options: OpenPkcs11Options): Promise<Pkcs11Provider> {
  if (typeof options !== 'object' || options === null || typeof options.module !== 'string' || options.module === '') {
    throw new McapiError('ERR_INVALID_OPTION', 'openPkcs11 needs options { module, tokenLabel | slot, pin | pinEnv }.');
  }
  if ((options.tokenLabel === undefined) === (options.slot === undefined)) {
    throw new McapiError('ERR_INVALID_OPTION', 'Give exactly one of options.tokenLabel and options.slot.');
  }
  const pin = readPin(options);
  const maxSessions = options.maxSessions ?? 4;
  if (!Number.isInteger(maxSessions) || maxSessions < 1) throw new McapiError('ERR_INVALID_OPTION', 'options.maxSessions must be a positive integer.');
  const oaep = options.oaep ?? 'auto';
  if (oaep !== 'auto' && oaep !== 'token' && oaep !== 'raw') throw new McapiError('ERR_INVALID_OPTION', "options.oaep must be 'auto', 'token' or 'raw'.");

  const library = loadModule(options.module);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    const entry = modules.get(options.module);
    if (entry !== undefined && --entry.users === 0) {
      modules.delete(options.module);
      try {
        library.C_Finalize();
      } catch {
        // nothing left to release
      }
    }
  };
  try {
    const { slot, tokenLabel } = findSlot(library, options);
    let session: pkcs11js.Handle;
    try {
      session = library.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
    } catch (error) {
      throw operationError(error, `Opening a session on the token ${tokenLabel}`);
    }
    try {
      library.C_Login(session, pkcs11js.CKU_USER, pin);
    } catch (error) {
      if (returnValueOf(error) !== pkcs11js.CKR_USER_ALREADY_LOGGED_IN) {
        library.C_CloseSession(session);
        throw loginError(error, tokenLabel);
      }
    }
    const pool = createSessionPool(library, slot, maxSessions, session);
    const isGone = (error: unknown) => {
      const code = returnValueOf(error);
      return code !== undefined && goneCodes.has(code);
    };
    const context: TokenContext = { library, pool, tokenLabel, isGone, oaep };

    const find = (selector: Pkcs11KeySelector) =>
      pool.use(async (s) => {
        const template: pkcs11js.Template = [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY }];
        if (selector.label !== undefined) template.push({ type: pkcs11js.CKA_LABEL, value: selector.label });
        if (selector.id !== undefined) template.push({ type: pkcs11js.CKA_ID, value: Buffer.from(selector.id, 'hex') });
        const found = findObjects(library, s, template);
        const what = describe(selector);
        if (found.length === 0) {
          throw new McapiError('ERR_PKCS11_KEY_NOT_FOUND', `No private key ${what} on the token ${tokenLabel}; list the keys with pkcs11-tool --list-objects.`);
        }
        if (found.length > 1) throw new McapiError('ERR_PKCS11_KEY_NOT_FOUND', `Several private keys ${what} on the token ${tokenLabel}; select by id.`);
        const handle = found[0]!;
        const [labelAttribute, idAttribute] = library.C_GetAttributeValue(s, handle, [{ type: pkcs11js.CKA_LABEL }, { type: pkcs11js.CKA_ID }]);
        const label = labelAttribute!.value.toString('utf8');
        const id = idAttribute!.value;
        const publicTemplate: pkcs11js.Template = [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PUBLIC_KEY }];
        publicTemplate.push(id.length > 0 ? { type: pkcs11js.CKA_ID, value: id } : { type: pkcs11js.CKA_LABEL, value: label });
        const publicHandle = findObjects(library, s, publicTemplate)[0];
        return tokenKey(context, handle, readPublicKey(library, s, handle, publicHandle), label, id);
      }, isGone);

    const key = async (selector: Pkcs11KeySelector) => {
      checkSelector(selector);
      try {
        return await find(selector);
      } catch (error) {
        throw operationError(error, `Finding the key ${describe(selector)} on the token ${tokenLabel}`);
      }
    };
    return {
      tokenLabel,
      key,
      async resolve(reference) {
        const parts = parsePkcs11Uri(reference);
        if (parts === undefined || (parts.label === undefined && parts.id === undefined)) {
          throw new McapiError('ERR_PKCS11_KEY_NOT_FOUND', 'The key reference is not a pkcs11: URI with an object label or id.');
        }
        if (parts.token !== tokenLabel) {
          throw new McapiError(
            'ERR_PKCS11_KEY_NOT_FOUND',
            `The key reference names the token ${parts.token ?? '(none)'}, but this provider is open on ${tokenLabel}: open that token (openPkcs11({ tokenLabel })).`,
          );
        }
        return key({ ...(parts.label !== undefined && { label: parts.label }), ...(parts.id !== undefined && { id: parts.id }) });
      },
      async generateKeyPair(generate) {
        const label = generate?.label;
        if (typeof label !== 'string' || label === '') throw new McapiError('ERR_INVALID_OPTION', 'generateKeyPair needs a label.');
        const id = generate.id ?? randomBytes(8).toString('hex');
        checkSelector({ label, id });
        const type = generate.type ?? 'rsa';
        const modulusBits = generate.modulusBits ?? 2048;
        if (type === 'rsa' && (!Number.isInteger(modulusBits) || modulusBits < 2048)) {
          throw new McapiError('ERR_INVALID_OPTION', 'modulusBits must be an integer of at least 2048.');
        }
        try {
          await pool.use(async (s) => {
            if (findObjects(library, s, [{ type: pkcs11js.CKA_LABEL, value: label }]).length > 0) {
              throw new McapiError('ERR_FILE_EXISTS', `The token ${tokenLabel} already holds an object labelled ${label}; choose another label.`);
            }
            const common = [
              { type: pkcs11js.CKA_TOKEN, value: true },
              { type: pkcs11js.CKA_LABEL, value: label },
              { type: pkcs11js.CKA_ID, value: Buffer.from(id, 'hex') },
            ];
            const publicTemplate: pkcs11js.Template = [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PUBLIC_KEY }, ...common, { type: pkcs11js.CKA_VERIFY, value: true }];
            // Sensitive and never extractable: the private value cannot leave the token, wrapped or not.
            const privateTemplate: pkcs11js.Template = [
              { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
              ...common,
              { type: pkcs11js.CKA_PRIVATE, value: true },
              { type: pkcs11js.CKA_SENSITIVE, value: true },
              { type: pkcs11js.CKA_EXTRACTABLE, value: false },
              { type: pkcs11js.CKA_SIGN, value: true },
            ];
            if (type === 'rsa') {
              publicTemplate.push(
                { type: pkcs11js.CKA_MODULUS_BITS, value: modulusBits },
                { type: pkcs11js.CKA_PUBLIC_EXPONENT, value: Buffer.from([1, 0, 1]) },
                { type: pkcs11js.CKA_ENCRYPT, value: true },
              );
              privateTemplate.push({ type: pkcs11js.CKA_DECRYPT, value: true });
            } else {
              publicTemplate.push({ type: pkcs11js.CKA_EC_PARAMS, value: Buffer.from(p256Oid, 'hex') });
            }
            const mechanism = { mechanism: type === 'rsa' ? pkcs11js.CKM_RSA_PKCS_KEY_PAIR_GEN : pkcs11js.CKM_EC_KEY_PAIR_GEN };
            await library.C_GenerateKeyPairAsync(s, mechanism, publicTemplate, privateTemplate);
          }, isGone);
        } catch (error) {
          throw operationError(error, `Generating a key pair on the token ${tokenLabel}`);
        }
        return key({ id });
      },
      async close() {
        pool.close();
        release();
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}

function readPin(options: OpenPkcs11Options): string {
  if ((options.pin === undefined) === (options.pinEnv === undefined)) {
    throw new McapiError('ERR_INVALID_OPTION', 'Give exactly one of options.pin and options.pinEnv.');
  }
  if (options.pinEnv !== undefined) {
    const value = process.env[options.pinEnv];
    if (value === undefined || value === '') {
      throw new McapiError('ERR_PKCS11_PIN', `The environment variable ${options.pinEnv} (options.pinEnv) is not set; set it to the token's user PIN.`);
    }
    return value;
  }
  if (typeof options.pin !== 'string' || options.pin === '') throw new McapiError('ERR_INVALID_OPTION', 'options.pin must be a non-empty string.');
  return options.pin;
}

function loadModule(path: string): pkcs11js.PKCS11 {
  const known = modules.get(path);
  if (known !== undefined) {
    known.users++;
    return known.library;
  }
  const library = new pkcs11js.PKCS11();
  try {
    library.load(path);
  } catch {
    throw new McapiError('ERR_PKCS11_MODULE', `Cannot load the PKCS#11 module ${path}; check the path and that the vendor's client is installed (SoftHSM2: apt-get install -y softhsm2).`);
  }
  try {
    // OS locking lets operations in different sessions run on several threads at once.
    library.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
  } catch (error) {
    if (returnValueOf(error) !== pkcs11js.CKR_CRYPTOKI_ALREADY_INITIALIZED) {
      throw new McapiError('ERR_PKCS11_MODULE', `The PKCS#11 module ${path} failed to initialise (${operationError(error, 'C_Initialize').message}).`);
    }
  }
  modules.set(path, { library, users: 1 });
  return library;
}

function findSlot(library: pkcs11js.PKCS11, options: OpenPkcs11Options): { slot: pkcs11js.Handle; tokenLabel: string } {
  const slots = library.C_GetSlotList(true);
  for (const slot of slots) {
    let label: string;
    try {
      label = library.C_GetTokenInfo(slot).label.trimEnd();
    } catch {
      continue; // a slot whose token just went away
    }
    if (options.tokenLabel !== undefined ? label === options.tokenLabel : slotNumber(slot) === options.slot) return { slot, tokenLabel: label };
  }
  const wanted = options.tokenLabel !== undefined ? `labelled ${options.tokenLabel}` : `in slot ${options.slot}`;
  throw new McapiError(
    'ERR_PKCS11_TOKEN_NOT_PRESENT',
    `No token ${wanted} is present in ${options.module}; insert it or check the label (softhsm2-util --show-slots, pkcs11-tool --list-slots).`,
  );
}

function slotNumber(slot: pkcs11js.Handle): number {
  return slot.length >= 8 ? Number(slot.readBigUInt64LE(0)) : slot.readUInt32LE(0);
}

function findObjects(library: pkcs11js.PKCS11, session: pkcs11js.Handle, template: pkcs11js.Template): pkcs11js.Handle[] {
  library.C_FindObjectsInit(session, template);
  try {
    return library.C_FindObjects(session, 16);
  } finally {
    library.C_FindObjectsFinal(session);
  }
}

function checkSelector(selector: Pkcs11KeySelector): void {
  if (typeof selector !== 'object' || selector === null || (selector.label === undefined && selector.id === undefined)) {
    throw new McapiError('ERR_INVALID_OPTION', 'Select the key by { label } or { id } (hex CKA_ID).');
  }
  if (selector.label !== undefined && (typeof selector.label !== 'string' || selector.label === '')) {
    throw new McapiError('ERR_INVALID_OPTION', 'The key label must be a non-empty string.');
  }
  if (selector.id !== undefined && (typeof selector.id !== 'string' || !/^([0-9a-fA-F]{2})+$/.test(selector.id))) {
    throw new McapiError('ERR_INVALID_OPTION', 'The key id must be hex bytes (CKA_ID), e.g. "a1b2".');
  }
}

function describe(selector: Pkcs11KeySelector): string {
  return [selector.label !== undefined ? `labelled ${JSON.stringify(selector.label)}` : '', selector.id !== undefined ? `with id ${selector.id}` : '']
    .filter(Boolean)
    .join(' and ');
}
