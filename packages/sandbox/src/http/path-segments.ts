import { McapiError } from '@mcapi/errors';

/**
 * The non-empty, percent-decoded segments of a URL path. A malformed escape (`%E0%A4%A`) is the
 * caller's mistake, so it is reported as `ERR_INVALID_OPTION` (a 400) rather than escaping as a
 * `URIError` into a 500.
 */
export function pathSegments(path: string): string[] {
  return path
    .split('/')
    .filter(Boolean)
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        throw new McapiError('ERR_INVALID_OPTION', `The path segment "${segment}" has a malformed percent-encoding; encode ids with encodeURIComponent.`);
      }
    });
}
