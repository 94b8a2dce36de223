import { indentJsonText } from '@mcapi/jwe';
import type { RequestLogEntry } from '../gateway/request-log.js';
import { html } from './html.js';
import { UI_PATH, layout } from './layout.js';
import type { DashboardWebSources } from './web-sources.js';

/** At most this many rows are listed (the log holds 1000). */
const MAX_ROWS = 200;

const apis: Record<string, string> = { benefitAllocation: 'Benefit Allocation', crossBorder: 'Cross-Border' };

/** Filters of the Requests page (query parameters `api` and `status`). */
export interface RequestFilter {
  api?: string;
  /** `2xx`, `4xx`, `5xx` or one status code. */
  status?: string;
}

/** Whether an entry passes the filter. */
export function matchesFilter(entry: RequestLogEntry, filter: RequestFilter): boolean {
  if (filter.api && entry.listener !== filter.api) return false;
  if (filter.status) {
    const family = /^([1-5])xx$/i.exec(filter.status);
    if (family ? Math.floor(entry.status / 100) !== Number(family[1]) : String(entry.status) !== filter.status) return false;
  }
  return true;
}

/** The Requests page: every request the gateways saw, newest first, filtered, refreshed live. */
export function requestsPage(sources: DashboardWebSources, filter: RequestFilter): string {
  const entries = sources.log
    .entries()
    .filter((entry) => matchesFilter(entry, filter))
    .reverse()
    .slice(0, MAX_ROWS);
  const option = (value: string, label: string, selected: string | undefined) =>
    html`<option value="${value}"${value === (selected ?? '') ? html` selected` : ''}>${label}</option>`;
  return layout(
    'Requests',
    'requests',
    html`<form class="inline" method="get" action="${UI_PATH}/requests">
<label>API <select name="api">${option('', 'all', filter.api)}${Object.entries(apis).map(([value, label]) => option(value, label, filter.api))}</select></label>
<label>Status <select name="status">${['', '2xx', '4xx', '5xx'].map((value) => option(value, value || 'all', filter.status))}</select></label>
<button type="submit">Filter</button>
<label class="check"><input type="checkbox" id="live" checked> live</label>
</form>
<table id="requests">
<thead><tr><th>#</th><th>Time</th><th>API</th><th>Request</th><th>Status</th><th>ms</th><th>Auth</th><th>Checks</th><th>Fault</th></tr></thead>
<tbody>${entries.length > 0 ? entries.map(requestRow) : html`<tr><td colspan="9" class="empty">No requests yet.</td></tr>`}</tbody>
</table>`,
  );
}

function requestRow(entry: RequestLogEntry) {
  const failed = entry.steps.find((step) => step.result === 'failed');
  const passed = entry.steps.filter((step) => step.result === 'passed').length;
  return html`<tr data-request-id="${entry.id}">
<td>${entry.id}</td>
<td>${entry.time.slice(11, 23)}</td>
<td>${apis[entry.listener] ?? entry.listener}</td>
<td class="mono"><a href="${UI_PATH}/requests/${entry.id}">${entry.method} ${entry.path}</a></td>
<td class="status-${Math.floor(entry.status / 100)}">${entry.status}${entry.reasonCode === undefined ? '' : html` <small>${entry.reasonCode}</small>`}</td>
<td>${entry.durationMs}</td>
<td>${entry.auth}</td>
<td>${failed ? html`<span class="failed">✗ ${failed.check}</span>` : html`<span class="passed">✓ ${passed}</span>`}</td>
<td>${entry.fault ?? ''}</td>
</tr>`;
}

/** One request: the checks step by step and the bodies (masked). */
export function requestPage(entry: RequestLogEntry): string {
  const responseTitle = entry.status >= 400 ? 'Error envelope sent back' : entry.response === 'encrypted' ? 'Response body (before encryption)' : 'Response body';
  return layout(
    `Request ${entry.id}`,
    'requests',
    html`<p class="mono">${entry.method} ${entry.path}</p>
<table id="summary"><tbody>
<tr><th>Time</th><td>${entry.time}</td></tr>
<tr><th>API</th><td>${apis[entry.listener] ?? entry.listener}</td></tr>
<tr><th>Project</th><td>${entry.project ?? '—'}</td></tr>
<tr><th>Status</th><td class="status-${Math.floor(entry.status / 100)}">${entry.status} ${entry.reasonCode ?? ''}</td></tr>
<tr><th>Duration</th><td>${entry.durationMs} ms</td></tr>
<tr><th>Auth scheme</th><td>${entry.auth}</td></tr>
${entry.credential === undefined ? '' : html`<tr><th>Credential</th><td class="mono" id="credential">${entry.credential}</td></tr>`}
${entry.clientCertificate === undefined ? '' : html`<tr><th>Client certificate</th><td class="mono" id="client-certificate">${entry.clientCertificate}</td></tr>`}
<tr><th>Request payload</th><td>${entry.decryption}</td></tr>
${entry.requestKid === undefined ? '' : html`<tr><th>Request kid</th><td class="mono" id="request-kid">${entry.requestKid}</td></tr>`}
<tr><th>Response payload</th><td>${entry.response}</td></tr>
${entry.fault === undefined ? '' : html`<tr><th>Fault</th><td>${entry.fault}</td></tr>`}
</tbody></table>
<h2>Verification, step by step</h2>
<table id="steps"><thead><tr><th>Check</th><th>Result</th><th>Detail</th></tr></thead>
<tbody>${entry.steps.map((step) => html`<tr><td>${step.check}</td><td class="${step.result}">${step.result}</td><td>${step.detail ?? ''}</td></tr>`)}</tbody></table>
<p><small>Bodies are shown as the service read them (decrypted), with card numbers masked to the first 6 and last 4 digits and secret fields removed; credentials are never kept.</small></p>
<h2>Request body</h2>
${entry.requestBody === undefined ? html`<p class="empty">No body.</p>` : html`<pre id="request-body">${indentJsonText(entry.requestBody)}</pre>`}
<h2>${responseTitle}</h2>
${entry.responseBody === undefined ? html`<p class="empty">No body.</p>` : html`<pre id="response-body">${indentJsonText(entry.responseBody)}</pre>`}
<p><a href="${UI_PATH}/requests">← all requests</a></p>`,
  );
}
