import { html } from './html.js';
import { PAGES, UI_PATH, layout } from './layout.js';
import type { DashboardWebSources } from './web-sources.js';

/** `/_dashboard/` in a browser: the listener URLs and a way into each page. */
export function overviewPage(sources: DashboardWebSources): string {
  const counts: Record<string, string> = {
    requests: `${sources.log.entries().length} logged`,
    keys: `${sources.dashboard.listKeys().length} registered`,
    faults: `${sources.faults.list().length} in force`,
    webhooks: sources.webhooks ? `${sources.webhooks.deliveries().length} deliveries` : 'none sent',
  };
  return layout(
    'Sandbox dashboard',
    'overview',
    html`<table id="urls"><thead><tr><th>Listener</th><th>URL</th></tr></thead>
<tbody>${Object.entries(sources.urls() as Record<string, string>).map(([name, url]) => html`<tr><td>${name}</td><td class="mono">${url}</td></tr>`)}</tbody></table>
<ul>${PAGES.map((page) => html`<li><a href="${UI_PATH}/${page.id}">${page.title}</a>: ${counts[page.id]}</li>`)}</ul>
<p><small>The same data as JSON for scripts: <code>GET /_dashboard/keys</code>, <code>/_dashboard/log</code>, <code>/_dashboard/faults</code>.</small></p>`,
  );
}
