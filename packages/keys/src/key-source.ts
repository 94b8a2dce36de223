import { readFile, stat } from 'node:fs/promises';
import { McapiError } from '@mcapi/errors';

/** Where key or certificate material comes from: a file, PEM text, or raw bytes (DER, PKCS#12). */
export type KeySource = string | Uint8Array | { path: string };

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
 */
export async function readSource(source: KeySource, what: string): Promise<SourceBytes> {
  if (source instanceof Uint8Array) return { bytes: source };
  if (typeof source === 'string') {
    if (source.includes('-----BEGIN')) return { bytes: new TextEncoder().encode(source) };
    throw new McapiError(
      'ERR_KEY_FORMAT',
      `The ${what} string is not PEM text. Pass PEM text, bytes, or { path: '…' } for a file.`,
    );
  }
  if (typeof source === 'object' && source !== null && typeof source.path === 'string') {
    try {
      return { bytes: await readFile(source.path), path: source.path };
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      throw new McapiError(
        'ERR_KEY_FORMAT',
        `Cannot read the ${what} file ${source.path} (${code ?? 'read error'}). Check the path and its permissions.`,
        { cause },
      );
    }
  }
  throw new McapiError('ERR_INVALID_OPTION', `The ${what} source must be PEM text, bytes or { path }.`);
}

/**
 * Warns when a file holding a private key can be read by group or others: such a key must be
 * treated as exposed. POSIX only; Windows modes carry no such bits.
 */
export async function warnIfKeyFileExposed(path: string, onWarning: WarningHandler): Promise<void> {
  if (process.platform === 'win32') return;
  const { mode } = await stat(path);
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
