// Every dynamic value in a dashboard page goes through `html`: request paths, bodies, consumer
// keys and fault paths are attacker-influenced text, and the page must show them, not run them.

const trusted = Symbol('mcapi.html');

/** Markup built by {@link html}: only this is inserted without escaping. */
export interface Html {
  readonly [trusted]: true;
  readonly markup: string;
}

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Escapes text for an HTML element or a quoted attribute value.
 *
 * @example
 * ```ts
 * escapeHtml('<script>"x"</script>'); // '&lt;script&gt;&quot;x&quot;&lt;/script&gt;'
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => entities[character]!);
}

/**
 * A tagged template that escapes every interpolated value, except markup made by `html` itself
 * (and arrays of it). `undefined`, `null` and `false` insert nothing. Attribute values must be
 * quoted in the template (`href="${url}"`); URLs put in `href` are built by the pages from
 * fixed prefixes, never taken whole from input.
 *
 * @example
 * ```ts
 * html`<td>${entry.path}</td>`.markup; // a path of `<script>` stays text
 * ```
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let markup = strings[0]!;
  values.forEach((value, index) => {
    markup += render(value) + strings[index + 1]!;
  });
  return { [trusted]: true, markup };
}

function render(value: unknown): string {
  if (value === undefined || value === null || value === false) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  if (typeof value === 'object' && (value as Partial<Html>)[trusted] === true) return (value as Html).markup;
  return escapeHtml(String(value));
}
