/** Writes `-v` steps to stderr: a `*` title, then the detail indented. Silent unless verbose. */
export type Trace = (title: string, detail?: string) => void;

export function createTrace(stderr: NodeJS.WritableStream, verbose: boolean): Trace {
  if (!verbose) return () => {};
  return (title, detail) => {
    stderr.write(`* ${title}\n`);
    if (detail !== undefined && detail !== '') stderr.write(`${detail.split('\n').map((line) => `    ${line}`).join('\n')}\n`);
  };
}

/**
 * An `Authorization` value fit to show: the OAuth 1.0a signature or the bearer token shortened to
 * its ends (enough to tell two apart, useless to replay).
 *
 * @example
 * ```ts
 * shortenAuthorization('OAuth …,oauth_signature="dGhpcyBpcyBh…%3D"'); // '… oauth_signature="dGhpcyBp…IGE%3D"'
 * ```
 */
export function shortenAuthorization(value: string): string {
  const shorten = (secret: string) => (secret.length <= 16 ? '…' : `${secret.slice(0, 8)}…${secret.slice(-6)} (${secret.length} chars)`);
  if (/^(Bearer|DPoP)\s/i.test(value)) {
    const [scheme, token = ''] = value.split(/\s+/, 2);
    return `${scheme} ${shorten(token)}`;
  }
  return value.replace(/oauth_signature="([^"]*)"/, (_match, signature: string) => `oauth_signature="${shorten(signature)}"`);
}

/** A long value cut to its head and tail. */
export function clip(text: string, max = 160): string {
  return text.length <= max ? text : `${text.slice(0, max - 40)}…${text.slice(-30)} (${text.length} bytes)`;
}

export const ms = (value: number | undefined) => (value === undefined ? '-' : `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`);
