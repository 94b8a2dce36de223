import type { IncomingMessage } from 'node:http';
import type { DashboardReply, DashboardRoute } from '../dashboard/dashboard-routing.js';
import { DashboardProblem } from '../dashboard/dashboard-routing.js';
import { DASHBOARD_CSS, DASHBOARD_ICON, DASHBOARD_JS } from './assets.js';
import { faultsPage } from './faults-page.js';
import { keysPage } from './keys-page.js';
import { overviewPage } from './overview-page.js';
import { requestPage, requestsPage } from './requests-page.js';
import type { DashboardWebSources } from './web-sources.js';
import { webhooksPage } from './webhooks-page.js';

const htmlReply = (markup: string): DashboardReply => ({ status: 200, page: { contentType: 'text/html; charset=utf-8', content: markup } });

/**
 * The web dashboard's pages and assets (paths relative to `/_dashboard`): `/ui/requests`,
 * `/ui/requests/{id}`, `/ui/keys`, `/ui/faults`, `/ui/webhooks`, `/assets/dashboard.{css,js}`.
 * Server-rendered HTML; the little script drives the JSON API on the same origin.
 *
 * @example
 * ```ts
 * createDashboardListener({ ...options, routes: [...dashboardWebRoutes(sources)] });
 * ```
 */
export function dashboardWebRoutes(sources: DashboardWebSources): DashboardRoute[] {
  return [
    ['GET', '/ui', () => htmlReply(overviewPage(sources))],
    ['GET', '/ui/requests', ({ url }) => htmlReply(requestsPage(sources, { api: url.searchParams.get('api') ?? '', status: url.searchParams.get('status') ?? '' }))],
    [
      'GET',
      '/ui/requests/:id',
      ({ params }) => {
        const entry = sources.log.entries().find((candidate) => String(candidate.id) === params.id);
        if (!entry) throw new DashboardProblem(404, 'ERR_SANDBOX', 'No such request in the log (it keeps the last 1000).');
        return htmlReply(requestPage(entry));
      },
    ],
    ['GET', '/ui/keys', () => htmlReply(keysPage(sources))],
    ['GET', '/ui/faults', () => htmlReply(faultsPage(sources))],
    ['GET', '/ui/webhooks', () => htmlReply(webhooksPage(sources))],
    ['GET', '/assets/dashboard.css', () => ({ status: 200, page: { contentType: 'text/css; charset=utf-8', content: DASHBOARD_CSS } })],
    ['GET', '/assets/favicon.svg', () => ({ status: 200, page: { contentType: 'image/svg+xml', content: DASHBOARD_ICON } })],
    ['GET', '/assets/dashboard.js', () => ({ status: 200, page: { contentType: 'text/javascript; charset=utf-8', content: DASHBOARD_JS } })],
  ];
}

/**
 * True when a request asks for a page rather than JSON: a browser navigation (`Accept` lists
 * `text/html`). Scripts (`*\/*`, `application/json` or no Accept) keep getting JSON at `/_dashboard/`.
 */
export function prefersHtml(request: IncomingMessage): boolean {
  return /(^|,)\s*text\/html\s*(;|,|$)/i.test(request.headers.accept ?? '');
}

/** The overview page, for `/_dashboard/` in a browser. */
export function overviewReply(sources: DashboardWebSources): DashboardReply {
  return htmlReply(overviewPage(sources));
}
