/**
 * Decides which hosts bypass the proxy, the way `NO_PROXY` is read by curl and most HTTP
 * clients: a comma- or space-separated list of host names, domains (`example.com` and
 * `.example.com` both cover the domain and every subdomain), IP literals, optional `:port`, and
 * `*` for every host. Matching ignores case; there are no other wildcards.
 */
export function createNoProxyMatcher(list: string | readonly string[] | undefined): (hostname: string, port: number) => boolean {
  const entries = (typeof list === 'string' ? list.split(/[\s,]+/) : (list ?? []))
    .map((entry) => entry.trim().toLowerCase())
    .filter((entry) => entry !== '');
  if (entries.includes('*')) return () => true;
  const rules = entries.map(parseEntry);
  if (rules.length === 0) return () => false;
  return (hostname, port) => {
    const host = unbracket(hostname.toLowerCase());
    return rules.some((rule) => (rule.port === undefined || rule.port === port) && (host === rule.host || host.endsWith(`.${rule.host}`)));
  };
}

interface Rule {
  host: string;
  port?: number;
}

function parseEntry(entry: string): Rule {
  // `[::1]:8443`, `[::1]`, `::1` (a bare IPv6 literal has several colons and no port), `host:443`.
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed !== null) return withPort(bracketed[1] as string, bracketed[2]);
  const hostPort = /^([^:]+):(\d+)$/.exec(entry);
  if (hostPort !== null) return withPort(hostPort[1] as string, hostPort[2]);
  return { host: entry.replace(/^\*?\./, '') };
}

function withPort(host: string, port: string | undefined): Rule {
  const rule: Rule = { host: host.replace(/^\*?\./, '') };
  if (port !== undefined) rule.port = Number(port);
  return rule;
}

function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}
