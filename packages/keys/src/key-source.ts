import { readFileSync, statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { McapiError } from '@mcapi/errors';
import { readEnvironmentMaterial } from './environment-source.js';

/**
 * Where key or certificate material comes from: a file, PEM text, raw bytes (DER, PKCS#12), or
 * an environment variable holding PEM (line breaks may be written `\n`) or base64 of PEM, DER or
 * PKCS#12.
 */
export type KeySource = string | Uint8Array | { path: string } | { env: string };

/** Receives non-fatal findings, such as a private key file readable by other users. */
export type WarningHandler = (message: string) => void;

/** Raw material read from a {@link KeySource}. */
export interface SourceBytes {
  bytes: Uint8Array;
  /** Set when the source was a file, for messages. */
  path?: string;
}

/** Default warning sink: Node's process warnings, visible but never fatal. */
export const emitProcessWarning: WarningHandler = (message) => {
  process.emitWarning(message, { code: 'MCAPI_KEY_PERMISSIONS' });
};

/**
 * Reads a source into bytes. A string containing "-----BEGIN" is PEM text; any other string is
 * rejected rather than guessed at, because a mistyped path must not be parsed as key data.
 * `what` names the input in messages (e.g. "private key", "credentials.cert").
 *
 * @throws {McapiError} `ERR_KEY_FORMAT` when the file or environment variable cannot be read, or a string is not PEM text; `ERR_INVALID_OPTION` when `source` is none of PEM text, bytes, `{ path }` or `{ env }`.
 *
 * @example
 * ```ts
 * const { bytes, path } = await readSource({ path: 'mastercard.pem' }, 'encryption certificate');
 * ```
 */
export async function readSource(source: KeySource, what: string): Promise<SourceBytes> {
  const inline = inlineSource(source, what);
  if (inline !== undefined) return inline;
  const { path } = source as { path: string };
  try {
    return { bytes: await readFile(path), path };
  } catch (cause) {
    throw unreadableFile(what, path, cause);
  }
}

/**
 * Synchronous {@link readSource}, for constructors that must fail where they are called (a
 * transport built with a bad certificate), not on first use.
 *
 * @throws {McapiError} as {@link readSource}.
 *
 * @example
 * ```ts
 * const { bytes } = readSourceSync({ path: 'client.crt' }, 'credentials.cert');
 * ```
 */
export function readSourceSync(source: KeySource, what: string): SourceBytes {
  const inline = inlineSource(source, what);
  if (inline !== undefined) return inline;
  const { path } = source as { path: string };
  try {
    return { bytes: readFileSync(path), path };
  } catch (cause) {
    throw unreadableFile(what, path, cause);
  }
}

// PEM text, bytes and environment variables are returned as bytes; `{ path }` gives undefined
// (the caller reads it); anything else is an error naming `what`.
function inlineSource(source: KeySource, what: string): SourceBytes | undefined {
  if (source instanceof Uint8Array) return { bytes: source };
  if (typeof source === 'object' && source !== null && 'env' in source) return { bytes: readEnvironmentMaterial(source.env, what) };
  if (typeof source === 'string') {
    if (source.includes('-----BEGIN')) return { bytes: new TextEncoder().encode(source) };
    throw new McapiError(
      'ERR_KEY_FORMAT',
      `The ${what} string is not PEM text. Pass PEM text, bytes, or { path: '…' } for a file.`,
    );
  }
  if (typeof source === 'object' && source !== null && typeof source.path === 'string') return undefined;
  throw new McapiError('ERR_INVALID_OPTION', `The ${what} source must be PEM text, bytes, { path } or { env }.`);
}

function unreadableFile(what: string, path: string, cause: unknown): McapiError {
  const code = (cause as NodeJS.ErrnoException).code;
  return new McapiError(
    'ERR_KEY_FORMAT',
    `Cannot read the ${what} file ${path} (${code ?? 'read error'}). Check the path and its permissions.`,
    { cause },
  );
}

/**
 * Warns when a file holding a private key can be read by group or others: such a key must be
 * treated as exposed. POSIX only; Windows modes carry no such bits.
 */
export async function warnIfKeyFileExposed(path: string, onWarning: WarningHandler): Promise<void> {
  if (process.platform === 'win32') return;
  warnOnMode(path, (await stat(path)).mode, onWarning);
}

/**
 * Synchronous {@link warnIfKeyFileExposed}.
 *
 * @example
 * ```ts
 * warnIfKeyFileExposedSync('client.key.pem', (message) => logger.warn(message));
 * ```
 */
export function warnIfKeyFileExposedSync(path: string, onWarning: WarningHandler): void {
  if (process.platform === 'win32') return;
  warnOnMode(path, statSync(path).mode, onWarning);
}

function warnOnMode(path: string, mode: number, onWarning: WarningHandler): void {
  if ((mode & 0o077) !== 0) {
    onWarning(
      `Private key file ${path} is readable by other users (mode ${(mode & 0o777).toString(8)}). Run: chmod 600 ${path}`,
    );
  }
}

/** True when the bytes are PEM text (possibly with leading whitespace or a BOM). */
export function isPem(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 4096)).toString('latin1');
  return head.includes('-----BEGIN');
}
