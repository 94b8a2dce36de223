import type { ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

// Shaped like a long option, known or not (`--signing-key`, `--sigining-key`, `--data=x`): never
// taken as a value, so a flag whose value was forgotten is still reported.
const LONG_OPTION = /^--[A-Za-z0-9][A-Za-z0-9-]*(=|$)/;

/**
 * Joins `--name VALUE` into `--name=VALUE` when a string option's value begins with a dash and
 * cannot be read as an option. node:util parseArgs refuses such a value as ambiguous, yet
 * Mastercard issues consumer keys in a URL-safe alphabet that starts with `-` one time in 64, and
 * a user pasting one after `--consumer-key` must not get a usage error at random. What still
 * reads as an option is left alone: `--`, anything shaped like a long option, and a group of the
 * command's own short flags (`-v`), so `--consumer-key --signing-key k.pem` still fails as a
 * missing value. Nothing after `--` is touched.
 */
export function attachDashValues(args: readonly string[], options: Options): string[] {
  const stringLongNames = new Map<string, string>();
  const shortFlags = new Set<string>();
  for (const [name, option] of Object.entries(options)) {
    if (option.type === 'string') {
      stringLongNames.set(`--${name}`, name);
      if (option.short) stringLongNames.set(`-${option.short}`, name);
    }
    if (option.short) shortFlags.add(option.short);
  }
  const readsAsOption = (token: string) =>
    token === '--' || LONG_OPTION.test(token) || (token.length > 1 && [...token.slice(1)].every((flag) => shortFlags.has(flag)));

  const joined: string[] = [];
  for (let index = 0; index < args.length; index += 1) {
    const token = args[index]!;
    if (token === '--') {
      joined.push(...args.slice(index));
      break;
    }
    const name = stringLongNames.get(token);
    const next = args[index + 1];
    if (name !== undefined && next !== undefined && next.length > 1 && next.startsWith('-') && !readsAsOption(next)) {
      joined.push(`--${name}=${next}`);
      index += 1;
    } else {
      joined.push(token);
    }
  }
  return joined;
}
