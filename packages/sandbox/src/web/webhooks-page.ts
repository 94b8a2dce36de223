import { html } from './html.js';
import { layout } from './layout.js';
import type { DashboardWebSources, WebhookDeliveryView } from './web-sources.js';

/** The Webhooks page: the registered URLs and every push delivery with its attempts. */
export function webhooksPage(sources: DashboardWebSources): string {
  const source = sources.webhooks;
  if (!source) {
    return layout('Webhooks', 'webhooks', html`<p class="empty" id="no-webhooks">This sandbox sends no webhooks (push notifications): no webhook module is plugged in.</p>`);
  }
  const endpoints = source.endpoints();
  const deliveries = source.deliveries().slice().reverse();
  return layout(
    'Webhooks',
    'webhooks',
    html`<h2>Registered URLs</h2>
${endpoints.length > 0 ? html`<ul id="webhook-endpoints">${endpoints.map((url) => html`<li class="mono">${url}</li>`)}</ul>` : html`<p class="empty">No webhook URL registered.</p>`}
<h2>Deliveries</h2>
<table id="webhook-deliveries">
<thead><tr><th>Delivery</th><th>Event</th><th>URL</th><th>State</th><th>Attempts</th></tr></thead>
<tbody>${deliveries.length > 0 ? deliveries.map(deliveryRow) : html`<tr><td colspan="5" class="empty">No deliveries yet.</td></tr>`}</tbody>
</table>`,
  );
}

function deliveryRow(delivery: WebhookDeliveryView) {
  return html`<tr>
<td class="mono">${delivery.id}</td><td>${delivery.event}</td><td class="mono">${delivery.url}</td>
<td class="${delivery.state === 'failed' ? 'failed' : delivery.state === 'delivered' ? 'passed' : ''}">${delivery.state}</td>
<td><ol>${delivery.attempts.map(
    (attempt) =>
      html`<li>${attempt.time.slice(11, 23)}:${attempt.status === undefined ? '' : ` HTTP ${attempt.status}`}${attempt.durationMs === undefined ? '' : ` in ${attempt.durationMs} ms`}${attempt.error === undefined ? '' : html` <span class="failed">${attempt.error}</span>`}</li>`,
  )}</ol></td>
</tr>`;
}
