import type { FaultRule } from '../gateway/faults.js';
import { html } from './html.js';
import { layout } from './layout.js';
import type { DashboardWebSources } from './web-sources.js';

/** The Faults page: the rules in force, a form to add one, a button to remove each. */
export function faultsPage(sources: DashboardWebSources): string {
  const rules = sources.faults.list();
  return layout(
    'Faults',
    'faults',
    html`<p>Rules apply to gateway requests after authentication, first match wins; a path covers the paths below it.</p>
<table id="faults">
<thead><tr><th>#</th><th>Listener</th><th>Method</th><th>Path</th><th>Effect</th><th>Remaining</th><th></th></tr></thead>
<tbody>${
      rules.length > 0
        ? rules.map(
            (rule, index) => html`<tr>
<td>${index + 1}</td><td>${rule.listener ?? 'both'}</td><td>${rule.method ?? 'any'}</td><td class="mono">${rule.path ?? 'every path'}</td>
<td>${effect(rule)}</td><td>${rule.times ?? '∞'}</td>
<td><button type="button" data-remove-fault="${index}">Remove</button></td>
</tr>`,
          )
        : html`<tr><td colspan="7" class="empty">No fault rules: requests are served normally.</td></tr>`
    }</tbody>
</table>
${rules.length > 0 ? html`<button type="button" data-call="DELETE /faults">Remove all</button>` : ''}
<h2>Add a fault</h2>
<form id="add-fault" class="panel" data-kind="fault">
<label>Listener <select name="listener"><option value="">both</option><option value="benefitAllocation">Benefit Allocation</option><option value="crossBorder">Cross-Border</option></select></label>
<label>Path (optional) <input name="path" placeholder="/loyalty/benefits/cards"></label>
<label>Method (optional) <input name="method" placeholder="POST"></label>
<label>Answer with <select name="status" data-number><option value="">the service's answer</option><option value="503">503 Service Unavailable</option><option value="429">429 Too Many Requests</option></select></label>
<label>Retry-After seconds <input type="number" name="retryAfterSeconds" min="0"></label>
<label>Delay (ms) <input type="number" name="latencyMs" min="0"></label>
<label class="check"><input type="checkbox" name="reset"> reset the connection mid-response</label>
<label class="check"><input type="checkbox" name="corruptJwe"> corrupt the response JWE</label>
<label>Times (optional) <input type="number" name="times" min="1"></label>
<button type="submit">Add the fault</button>
</form>`,
  );
}

function effect(rule: FaultRule): string {
  const parts: string[] = [];
  if (rule.latencyMs) parts.push(`delay ${rule.latencyMs} ms`);
  if (rule.status) parts.push(`answer ${rule.status} (Retry-After ${rule.retryAfterSeconds ?? 1} s)`);
  if (rule.reset) parts.push('reset mid-response');
  if (rule.corruptJwe) parts.push('corrupt response JWE');
  return parts.join(', ') || 'none';
}
