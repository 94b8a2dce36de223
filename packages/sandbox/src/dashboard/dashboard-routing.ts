import type { IncomingMessage } from 'node:http';
import { McapiError } from '@mcapi/errors';
import { readBody } from '../http/body.js';
import type { RouteDefinition } from '../http/route-table.js';

/** What a dashboard endpoint answers: JSON `body`, PEM `text`, a web `page` (HTML, CSS, script), or nothing (204). */
export interface DashboardReply {
  status: number;
  body?: unknown;
  text?: string;
  page?: { contentType: string; content: string };
}

/** A dashboard request as its endpoint sees it. */
export interface DashboardCall {
  request: IncomingMessage;
  url: URL;
  /** Percent-decoded path parameters (`:id`). */
  params: Record<string, string>;
  /** The body parsed as JSON (`{}` when empty); not JSON → 400 `ERR_INVALID_OPTION`. */
  json(): Promise<unknown>;
}

/** A dashboard endpoint: pattern relative to `/_dashboard`. */
export type DashboardRoute = RouteDefinition<(call: DashboardCall) => DashboardReply | Promise<DashboardReply>>;

/** A refusal with its HTTP status, answered `{"error":{"code","message"}}`. */
export class DashboardProblem extends McapiError {
  constructor(
    readonly status: number,
    code: 'ERR_INVALID_OPTION' | 'ERR_SANDBOX',
    message: string,
  ) {
    super(code, message);
  }
}

/** Reads a dashboard request body as JSON, at most `limit` bytes. */
export async function readJson(request: IncomingMessage, limit?: number): Promise<unknown> {
  const text = (await readBody(request, limit)).toString('utf8');
  if (text.length === 0) return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new DashboardProblem(400, 'ERR_INVALID_OPTION', 'The request body is not valid JSON.');
  }
}
