import { DEFAULT_PROJECT } from '../dashboard/dashboard.js';
import { dashboardFields, oneOf, text } from '../dashboard/dashboard-fields.js';
import { type DashboardRoute, DashboardProblem, readJson } from '../dashboard/dashboard-routing.js';
import { optional } from '../http/schema.js';
import type { WebhookSender } from './webhook-sender.js';

const BODY_HINT = ': { url, project?, ca?, flavour? }';

/**
 * The webhook endpoints of the dashboard, in its route table: `POST|GET /_dashboard/webhooks`
 * (register: `{ url, project?, ca?, flavour? }` → 201; list `?project=`), `DELETE /_dashboard/webhooks/{id}`
 * and `GET /_dashboard/webhooks/deliveries[?project=]` (each notification, its attempts and state).
 *
 * @example
 * ```ts
 * createDashboardListener({ ...options, routes: [...oauth2DashboardRoutes(oauth2.api), ...webhookDashboardRoutes(sender)] });
 * ```
 */
export function webhookDashboardRoutes(sender: WebhookSender): DashboardRoute[] {
  return [
    ['GET', '/webhooks', ({ url }) => ({ status: 200, body: sender.list(url.searchParams.get('project') ?? undefined) })],
    [
      'POST',
      '/webhooks',
      async ({ request }) => {
        const body = await readJson(request, 64 * 1024);
        const fields = dashboardFields(body, { url: text, project: optional(text), ca: optional(text), flavour: optional(oneOf('camelCase', 'snake_case')) }, BODY_HINT);
        return {
          status: 201,
          body: sender.register({
            project: fields.project ?? DEFAULT_PROJECT,
            url: fields.url,
            ...(fields.ca === undefined ? {} : { ca: fields.ca }),
            ...(fields.flavour === undefined ? {} : { flavour: fields.flavour }),
          }),
        };
      },
    ],
    [
      'DELETE',
      '/webhooks/:id',
      ({ params }) => {
        if (!sender.unregister(params.id!)) throw new DashboardProblem(404, 'ERR_SANDBOX', 'No such webhook.');
        return { status: 204 };
      },
    ],
    ['GET', '/webhooks/deliveries', ({ url }) => ({ status: 200, body: sender.deliveries(url.searchParams.get('project') ?? undefined) })],
  ];
}
