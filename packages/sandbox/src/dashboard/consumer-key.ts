import { randomBytes } from 'node:crypto';

/**
 * A consumer key shaped like Mastercard's: 48 URL-safe characters, `!`, then 48 hex digits. The
 * `!` matters: it is the character Mastercard's Node signer escapes wrongly
 * (mastercard-security.md §3), so clients must be tested against keys that contain it.
 */
export function newConsumerKey(): string {
  return `${randomBytes(36).toString('base64url')}!${randomBytes(24).toString('hex')}`;
}
