import type { IssuedKey } from '../dashboard/dashboard.js';
import { html } from './html.js';
import { layout } from './layout.js';
import type { DashboardWebSources } from './web-sources.js';

const DAY_MS = 86_400_000;
/** Mastercard Developers warns 30 days before a key expires; so does this page. */
export const EXPIRY_WARNING_DAYS = 30;

/** The Keys page: every registered key, renewal by CSR, the active response key switch. */
export function keysPage(sources: DashboardWebSources): string {
  const keys = sources.dashboard.listKeys().sort((a, b) => a.project.localeCompare(b.project) || a.purpose.localeCompare(b.purpose));
  const now = sources.now();
  const rows = keys.map((key) => keyRow(key, now));
  return layout(
    'Keys',
    'keys',
    html`<p>Keys registered in each project, as on Mastercard Developers. Renew a key before it expires: make a CSR with
<code>mcapi-keytool csr</code>, paste or upload it below, download the certificate and import it with
<code>mcapi-keytool import-cert</code>. The <a href="/_dashboard/ca.pem" download="sandbox-ca.pem">sandbox CA certificate</a> completes the chain.</p>
<table id="keys">
<thead><tr><th>Project</th><th>Purpose</th><th>Fingerprint (kid) / id</th><th>Consumer key</th><th>Expires</th><th>State</th><th>Actions</th></tr></thead>
<tbody>${rows.length > 0 ? rows : html`<tr><td colspan="7" class="empty">No keys yet: renew one below or call POST /_dashboard/certificates.</td></tr>`}</tbody>
</table>
<h2>Renew a key (sign a CSR)</h2>
<form id="renew" class="panel" data-kind="renew">
<label>Purpose <select name="purpose">
<option value="mtls">mTLS client certificate</option>
<option value="response-decryption">Mastercard encryption (response decryption)</option>
<option value="signing">OAuth signing key (new consumer key)</option>
</select></label>
<label>Project <input name="project" value="default"></label>
<label>CSR (PEM) <textarea name="csr" placeholder="-----BEGIN CERTIFICATE REQUEST-----"></textarea></label>
<label>or a CSR file <input type="file" name="csrFile" data-field="csr" accept=".csr,.pem,.txt"></label>
<button type="submit">Sign and issue the certificate</button>
<p id="issued" hidden></p>
<a id="download" hidden>Download the certificate</a>
</form>`,
  );
}

function keyRow(key: IssuedKey, now: number) {
  const expiresIn = Date.parse(key.notAfter) - now;
  const expiry = expiresIn <= 0 ? 'expired' : expiresIn < EXPIRY_WARNING_DAYS * DAY_MS ? 'expiring' : '';
  const className = key.revoked ? 'revoked' : expiry;
  const days = Math.floor(expiresIn / DAY_MS);
  const id = encodeURIComponent(key.id);
  const state = key.revoked ? 'revoked' : key.purpose === 'response-decryption' ? (key.active ? 'active' : 'standby') : 'live';
  return html`<tr class="${className}" data-key-id="${key.id}" data-purpose="${key.purpose}">
<td>${key.project}</td>
<td>${key.purpose}</td>
<td class="mono">${key.fingerprint}<br><small>${key.id}</small></td>
<td class="mono">${key.consumerKey ?? '—'}</td>
<td class="expiry">${key.notAfter.slice(0, 10)}<br><small>${expiresIn <= 0 ? 'expired' : `in ${days} days`}</small></td>
<td class="state">${state}</td>
<td>${
    key.revoked
      ? ''
      : html`<button type="button" data-renew-purpose="${key.purpose}" data-renew-project="${key.project}">Renew…</button>
${key.purpose === 'response-decryption' && !key.active ? html`<button type="button" data-call="POST /keys/${id}/activate">Make active</button>` : ''}
<button type="button" data-call="DELETE /keys/${id}">Revoke</button>`
  }</td>
</tr>`;
}
