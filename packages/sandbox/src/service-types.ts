/** What a service operation receives once the gateway has authenticated and decrypted a call. */
export interface ServiceRequest {
  method: string;
  /** Path relative to the listener's API root, without query. */
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  /** Parsed JSON body (long integers kept as digit strings), or undefined for no body. */
  body: unknown;
  /** Dashboard project the caller belongs to. */
  project: string;
  /** Milliseconds since the epoch, from the sandbox clock. */
  now: number;
}

/** What a service operation answers; `error` responses are never encrypted. */
export interface ServiceResponse {
  status: number;
  body?: unknown;
  /** Extra response headers (`Allow` on a 405). */
  headers?: Record<string, string>;
  error?: boolean;
}

/** One operation of a service. */
export type ServiceHandler = (request: ServiceRequest) => ServiceResponse;
