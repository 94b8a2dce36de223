import { randomBytes } from 'node:crypto';
import { McapiError } from '@mcapi/errors';

/**
 * A random positive serial number as hex: 16 bytes (RFC 5280 §4.1.2.2 allows up to 20), top bit
 * cleared so the DER INTEGER stays positive, never zero-leading so it keeps its length.
 */
export function randomSerialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x40;
  return bytes.toString('hex');
}

/** Checks a caller-chosen serial number (hex). */
export function validateSerialNumber(serial: string): string {
  if (typeof serial !== 'string' || !/^[0-9a-fA-F]{1,40}$/.test(serial) || /^0+$/.test(serial)) {
    throw new McapiError('ERR_INVALID_OPTION', 'serialNumber must be 1 to 40 hex digits and not zero.');
  }
  // forge writes the hex as raw bytes: pad to whole bytes and keep the INTEGER positive.
  let hex = serial.length % 2 === 1 ? `0${serial}` : serial;
  if (Number.parseInt(hex.slice(0, 2), 16) >= 0x80) hex = `00${hex}`;
  return hex.toLowerCase();
}
