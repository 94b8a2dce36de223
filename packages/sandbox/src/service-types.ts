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
  /** Request headers, names in lower case (Cross-Border's `Partner-Ref-Id`, `Specification-Type`). */
  headers?: Record<string, string | undefined>;
  /**
   * Tells the partner's webhook that something changed (Cross-Border push notifications); absent
   * where nothing listens.
   */
  notify?: (notification: ServiceNotification) => void;
}

/** A push notification an operation raises (api-facts §2.5 P1–P4); the gateway delivers it. */
export interface ServiceNotification {
  project: string;
  /** The notification body as Mastercard sends it (camelCase v3 flavour). */
  body: Record<string, unknown>;
  /** The flat snake_case "return reason v2" flavour of the same notification, where one exists. */
  flat?: Record<string, unknown>;
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
