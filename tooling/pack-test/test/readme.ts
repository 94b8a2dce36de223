// Reads a README the way the packaging test checks it: its links, its `npm install` lines and
// the examples marked `<!-- pack-test: run -->` (the fenced block right after the marker; `<!--
// pack-test: run, needs softhsm2 -->` names a system service the example needs).
import { posix } from 'node:path';

export const exampleMarker = '<!-- pack-test: run -->';

/** Link targets that point into the package (not web links, not anchors in the same page). */
export function localLinks(markdown: string): string[] {
  const targets = [...markdown.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((match) => match[1]!);
  const sources = [...markdown.matchAll(/<(?:img|a)\s[^>]*(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
  return [...targets, ...sources].filter((target) => !/^(https?:|mailto:|#)/.test(target));
}

/** `dist/x.js#L3` → `dist/x.js`, `./README.md` → `README.md`. */
export function linkPath(target: string): string {
  return posix.normalize(decodeURI(target.split('#')[0]!)).replace(/^\.\//, '');
}

/** Package names on the README's `npm install …` lines. */
export function installedNames(markdown: string): Set<string> {
  const names = new Set<string>();
  for (const match of markdown.matchAll(/npm install ([^\n`]+)/g)) {
    // `npm install a b   # comment`: the comment is not a package.
    for (const word of match[1]!.split('#')[0]!.split(/\s+/)) if (word !== '' && !word.startsWith('-')) names.add(word);
  }
  return names;
}

/** A block marked to run, and the system service it needs (`<!-- pack-test: run, needs softhsm2 -->`). */
export interface RunnableExample {
  code: string;
  /** A Debian package the example needs (its suite is skipped without it unless MCAPI_REQUIRE_SERVICES=1). */
  needs?: string;
}

/** Every block marked to run. */
export function runnableExamples(markdown: string): RunnableExample[] {
  const examples: RunnableExample[] = [];
  const markers = /<!-- pack-test: run(?:, needs ([a-z0-9.+-]+))? -->/g;
  for (let marker = markers.exec(markdown); marker !== null; marker = markers.exec(markdown)) {
    const block = /^\s*```(?:js|javascript|mjs)\n([\s\S]*?)\n```/.exec(markdown.slice(marker.index + marker[0].length));
    if (!block) throw new Error(`${marker[0]} must be followed directly by a \`\`\`js block`);
    examples.push(marker[1] === undefined ? { code: block[1]! } : { code: block[1]!, needs: marker[1] });
  }
  return examples;
}

/** Bare module specifiers an example imports (`node:` built-ins excluded), as package names. */
export function importedPackages(code: string): string[] {
  const specifiers = [...code.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"]([^'"]+)['"]/g)].map((match) => match[1]!);
  return specifiers
    .filter((specifier) => !specifier.startsWith('node:') && !specifier.startsWith('.'))
    .map((specifier) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/'));
}
