// The parts of axios 1.x this package touches, written out so that @mcapi/client's types do not
// import axios: it is an optional peer dependency, and users without it must still compile.

/** Axios's `AxiosHeaders` (or a plain object, as in a hand-made config). */
export interface AxiosHeadersLike {
  [name: string]: unknown;
  set?(name: string, value: string): unknown;
  get?(name: string): unknown;
  toJSON?(): Record<string, unknown>;
}

/** The request config an interceptor receives (`InternalAxiosRequestConfig`). */
export interface AxiosConfigLike {
  url?: string;
  baseURL?: string | undefined;
  method?: string;
  params?: unknown;
  data?: unknown;
  headers: AxiosHeadersLike;
  responseType?: string;
  transformRequest?: unknown;
  httpsAgent?: unknown;
  proxy?: unknown;
  [option: string]: unknown;
}

/** An axios response. */
export interface AxiosResponseLike {
  data: unknown;
  status: number;
  headers: AxiosHeadersLike;
  config: AxiosConfigLike;
  request?: unknown;
}

/**
 * An axios instance (`axios` itself or `axios.create()`). Loose on purpose: axios's own types
 * change between minor versions, and `install` checks the shape at run time.
 */
export interface AxiosInstanceLike {
  getUri: unknown;
  interceptors: unknown;
}

/** What `install` calls on an axios instance. */
export interface AxiosInstanceCalls {
  getUri(config?: object): string;
  interceptors: {
    request: { use(onFulfilled: (config: AxiosConfigLike) => Promise<AxiosConfigLike>): number; eject(id: number): void };
    response: {
      use(onFulfilled: (response: AxiosResponseLike) => Promise<AxiosResponseLike>, onRejected: (error: unknown) => Promise<never>): number;
      eject(id: number): void;
    };
  };
}

/** True when `value` has the calls `install` makes. */
export function isAxiosInstance(value: unknown): value is AxiosInstanceCalls {
  const candidate = value as Partial<AxiosInstanceCalls> | null | undefined;
  return (
    typeof candidate?.getUri === 'function' &&
    typeof candidate.interceptors?.request?.use === 'function' &&
    typeof candidate.interceptors.response?.use === 'function'
  );
}

/** Reads a header from `AxiosHeaders` or a plain object, case-insensitively. */
export function headerOf(headers: AxiosHeadersLike | undefined, name: string): string | undefined {
  if (headers === undefined || headers === null) return undefined;
  if (typeof headers.get === 'function') {
    const value = headers.get(name);
    return value === undefined || value === null || value === false ? undefined : String(value);
  }
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === lower && value !== undefined && value !== null) return String(value);
  }
  return undefined;
}

/** Sets a header on `AxiosHeaders` or a plain object. */
export function setHeader(headers: AxiosHeadersLike, name: string, value: string): void {
  if (typeof headers.set === 'function') headers.set(name, value);
  else headers[name] = value;
}

/** Every header as a lower-case-named record of strings. */
export function headerRecord(headers: AxiosHeadersLike | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers === undefined || headers === null) return out;
  const plain = typeof headers.toJSON === 'function' ? headers.toJSON() : headers;
  for (const [key, value] of Object.entries(plain)) {
    if (value !== undefined && value !== null && typeof value !== 'function') out[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return out;
}
