import { McapiError } from '@mcapi/errors';

/** Which requests a rule applies to: HTTP method(s) and a path template or regex. */
export interface EndpointMatcher {
  /** One method or several (case-insensitive); default any method. */
  method?: string | readonly string[];
  /**
   * A path template such as `/cards/{cardId}/freeze` (matches when the URL path ends with it, so
   * a base path before it is fine; `{name}` is one segment), or a `RegExp` tested against the URL
   * path and, for absolute URLs, against the whole URL (both without query), as Mastercard's
   * library does.
   */
  path: string | RegExp;
}

/** A matcher compiled once. */
export interface CompiledMatcher {
  matches(method: string, target: RequestTarget): boolean;
}

/** The parts of a request URL rules are matched on. */
export interface RequestTarget {
  pathname: string;
  /** The absolute URL without query and fragment, when the URL was absolute. */
  withoutQuery: string | undefined;
}

/** Compiles a matcher; `option` names it in messages. */
export function compileMatcher(matcher: EndpointMatcher, option: string): CompiledMatcher {
  const methods =
    matcher.method === undefined
      ? undefined
      : new Set((typeof matcher.method === 'string' ? [matcher.method] : [...matcher.method]).map((m) => String(m).toUpperCase()));
  let pattern: RegExp;
  const isRegExp = matcher.path instanceof RegExp;
  if (matcher.path instanceof RegExp) {
    // A copy without the g/y flags: their lastIndex state would make repeated tests alternate.
    pattern = new RegExp(matcher.path.source, matcher.path.flags.replace(/[gy]/g, ''));
  } else if (typeof matcher.path === 'string' && matcher.path !== '') {
    pattern = templateToRegExp(matcher.path);
  } else {
    throw new McapiError('ERR_INVALID_OPTION', `${option}.path must be a path template like '/cards/{id}' or a RegExp.`);
  }
  return {
    matches: (method, target) =>
      (methods === undefined || methods.has(method.toUpperCase())) &&
      (pattern.test(target.pathname) || (isRegExp && target.withoutQuery !== undefined && pattern.test(target.withoutQuery))),
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

const base = 'http://relative.invalid';

/** The path of a request URL (absolute or path-only) and the URL without query or fragment. */
export function requestTarget(url: string | URL): RequestTarget {
  let parsed: URL;
  try {
    parsed = new URL(url, base);
  } catch {
    throw new McapiError('ERR_INVALID_OPTION', 'The request url is not a valid URL or path.');
  }
  const absolute = parsed.origin !== base;
  return { pathname: parsed.pathname, withoutQuery: absolute ? `${parsed.origin}${parsed.pathname}` : undefined };
}
