import { McapiError } from '@mcapi/errors';

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Checks a webhook URL as Mastercard and this sandbox require, and returns it normalised: https
 * (notifications go over mTLS), on the loopback interface only (the sandbox never posts beyond
 * the machine), a path ending in `/webhook`, no query string or credentials. Used when a webhook
 * is registered and when registrations are read back from `--state`, so an edited state file
 * cannot point the sandbox elsewhere either.
 *
 * @throws {McapiError} `ERR_INVALID_OPTION` saying which rule the URL breaks.
 * @example
 * ```ts
 * checkWebhookUrl('https://127.0.0.1:8443/mastercard/webhook'); // 'https://127.0.0.1:8443/mastercard/webhook'
 * ```
 */
export function checkWebhookUrl(value: unknown): string {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw new McapiError('ERR_INVALID_OPTION', 'url must be an absolute https URL such as https://127.0.0.1:8443/mastercard/webhook.');
  }
  if (url.protocol !== 'https:') throw new McapiError('ERR_INVALID_OPTION', 'url must use https: notifications are posted over mTLS.');
  if (!loopbackHosts.has(url.hostname)) throw new McapiError('ERR_INVALID_OPTION', 'url must be on 127.0.0.1, localhost or [::1]: the sandbox posts to local servers only.');
  if (!url.pathname.endsWith('/webhook')) throw new McapiError('ERR_INVALID_OPTION', 'url path must end in /webhook, as Mastercard requires.');
  if (url.search !== '' || url.username !== '' || url.password !== '') {
    throw new McapiError('ERR_INVALID_OPTION', 'url must carry no query string or credentials (Mastercard allows no API-key auth in webhook URLs).');
  }
  return url.href;
}
