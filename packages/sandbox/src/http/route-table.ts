/** One route: method, pattern (`/send/v1/partners/:partnerId/crossborder/payment`) and what serves it. */
export type RouteDefinition<H> = readonly [method: string, pattern: string, handler: H];

/** What a path and method resolve to. */
export type RouteResult<H> =
  | { kind: 'found'; handler: H; params: Record<string, string>; pattern: string }
  /** The path exists with other methods: answer 405 with `Allow: <allow>`. */
  | { kind: 'method-not-allowed'; allow: string[] }
  | { kind: 'not-found' }
  /** A parameter segment has a malformed percent-escape (`%E0%A4%A`): the caller's mistake, a 400. */
  | { kind: 'malformed-path'; segment: string };

/** A compiled route table; see {@link createRouteTable}. */
export interface RouteTable<H> {
  match(method: string, path: string): RouteResult<H>;
  /** Every route, in definition order (for listings and docs). */
  readonly routes: ReadonlyArray<RouteDefinition<H>>;
}

interface Node<H> {
  literals: Map<string, Node<H>>;
  param?: { name: string; node: Node<H> };
  methods: Map<string, { handler: H; pattern: string }>;
}

const newNode = <H>(): Node<H> => ({ literals: new Map(), methods: new Map() });

/**
 * The one router of the sandbox (Cross-Border, Benefit Allocation, the dashboard and its OAuth 2.0
 * endpoints, the OAuth 2.0 listener). Patterns are `/`-separated; `:name` segments are parameters,
 * percent-decoded. At every segment a literal wins over a parameter, so
 * `…/crossborder/payment` is the payment resource, never a payment id, whatever the order of
 * definition; a parameter is tried only when the literal branch has no route for the whole
 * path. A path that exists for other methods is a 405 with the methods to put in `Allow`.
 * Definitions that conflict (the same method and pattern twice, two parameter names at one
 * position) throw at construction.
 *
 * @example
 * ```ts
 * const table = createRouteTable([
 *   ['POST', '/send/v1/partners/:partnerId/crossborder/payment', createPayment],
 *   ['GET', '/send/v1/partners/:partnerId/crossborder/:paymentId', retrievePaymentById],
 * ]);
 * table.match('GET', '/send/v1/partners/P1/crossborder/payment'); // { kind: 'method-not-allowed', allow: ['POST'] }
 * ```
 */
export function createRouteTable<H>(routes: ReadonlyArray<RouteDefinition<H>>): RouteTable<H> {
  const root = newNode<H>();
  for (const [method, pattern, handler] of routes) {
    let node = root;
    for (const segment of splitPath(pattern)) {
      if (segment.startsWith(':')) {
        const name = segment.slice(1);
        if (node.param && node.param.name !== name) throw new Error(`route ${pattern}: parameter :${name} conflicts with :${node.param.name}`);
        node.param ??= { name, node: newNode() };
        node = node.param.node;
      } else {
        const next = node.literals.get(segment) ?? newNode<H>();
        node.literals.set(segment, next);
        node = next;
      }
    }
    if (node.methods.has(method)) throw new Error(`route ${method} ${pattern} is defined twice`);
    node.methods.set(method, { handler, pattern });
  }
  return {
    routes,
    match(method, path) {
      const captured: Array<[string, string]> = [];
      const node = walk(root, splitPath(path), 0, captured);
      if (!node) return { kind: 'not-found' };
      const route = node.methods.get(method);
      if (!route) return { kind: 'method-not-allowed', allow: [...node.methods.keys()].sort() };
      const params: Record<string, string> = {};
      for (const [name, raw] of captured) {
        try {
          params[name] = decodeURIComponent(raw);
        } catch {
          return { kind: 'malformed-path', segment: raw };
        }
      }
      return { kind: 'found', handler: route.handler, params, pattern: route.pattern };
    },
  };
}

// `/a/b` → ['a', 'b']; `/` → []; an empty segment (`/a//b`, a trailing `/`) stays and matches no pattern.
function splitPath(path: string): string[] {
  return path === '/' || path === '' ? [] : path.split('/').slice(1);
}

function walk<H>(node: Node<H>, segments: string[], index: number, captured: Array<[string, string]>): Node<H> | undefined {
  if (index === segments.length) return node.methods.size > 0 ? node : undefined;
  const segment = segments[index]!;
  const literal = node.literals.get(segment);
  if (literal) {
    const found = walk(literal, segments, index + 1, captured);
    if (found) return found;
  }
  if (node.param && segment !== '') {
    captured.push([node.param.name, segment]);
    const found = walk(node.param.node, segments, index + 1, captured);
    if (found) return found;
    captured.pop();
  }
  return undefined;
}
