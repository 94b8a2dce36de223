import { McapiError } from '@mcapi/errors';

/** Which requests a rule applies to: HTTP method(s) and a path template or regex. */
export interface EndpointMatcher {
  /** One method or several (case-insensitive); default any method. */
  method?: string | readonly string[];
  /**
   * A path template such as `/cards/{cardId}/freeze` (matches when the URL path ends with it, so
   * a base path before it is fine; `{name}` is one segment), or a `RegExp` tested against the URL
   * path (without query).
   */
  path: string | RegExp;
}

/** A matcher compiled once. */
export interface CompiledMatcher {
  matches(method: string, pathname: string): boolean;
}

/** Compiles a matcher; `option` names it in messages. */
export function compileMatcher(matcher: EndpointMatcher, option: string): CompiledMatcher {
  const methods =
    matcher.method === undefined
      ? undefined
      : new Set((typeof matcher.method === 'string' ? [matcher.method] : [...matcher.method]).map((m) => String(m).toUpperCase()));
  let pattern: RegExp;
  if (matcher.path instanceof RegExp) {
    // A copy without the g/y flags: their lastIndex state would make repeated tests alternate.
    pattern = new RegExp(matcher.path.source, matcher.path.flags.replace(/[gy]/g, ''));
  } else if (typeof matcher.path === 'string' && matcher.path !== '') {
    pattern = templateToRegExp(matcher.path);
  } else {
    throw new McapiError('ERR_INVALID_OPTION', `${option}.path must be a path template like '/cards/{id}' or a RegExp.`);
  }
  return {
    matches: (method, pathname) => (methods === undefined || methods.has(method.toUpperCase())) && pattern.test(pathname),
  };
}

function templateToRegExp(template: string): RegExp {
  const path = template.startsWith('/') ? template : `/${template}`;
  const source = path
    .replace(/\/+$/, '')
    .split(/(\{[^/{}]+\})/)
    .map((piece) => (/^\{[^/{}]+\}$/.test(piece) ? '[^/]+' : piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`${source}/?$`);
}

/** The path of a request URL (absolute or path-only), without query or fragment. */
export function pathnameOf(url: string | URL): string {
  try {
    return new URL(url, 'http://localhost').pathname;
  } catch {
    throw new McapiError('ERR_INVALID_OPTION', 'The request url is not a valid URL or path.');
  }
}
