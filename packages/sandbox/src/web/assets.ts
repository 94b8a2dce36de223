// The dashboard's stylesheet and script, served from the sandbox itself (no CDN, no build step).
// The script only talks to the dashboard's JSON API on the same origin; it never inserts text
// as markup except whole fragments of pages the sandbox rendered (and escaped) itself.

/** The tab icon (two overlapping circles). */
export const DASHBOARD_ICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 20"><circle cx="10" cy="10" r="10" fill="#eb001b"/><circle cx="22" cy="10" r="10" fill="#f79e1b" fill-opacity=".85"/></svg>';

/** The stylesheet. */
export const DASHBOARD_CSS = `
:root { font-family: system-ui, sans-serif; color: #1d1d1f; background: #fafafa; }
body { margin: 0; }
header { display: flex; gap: 2rem; align-items: center; padding: .6rem 1.5rem; background: #141413; }
header a { color: #f2f2f2; text-decoration: none; }
header .brand { font-weight: 700; color: #ff9f1a; }
nav { display: flex; gap: 1.2rem; }
nav a[aria-current="page"] { border-bottom: 2px solid #ff9f1a; }
main { padding: 1rem 1.5rem 3rem; max-width: 1200px; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1.5rem; font-size: .9rem; }
th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid #ddd; vertical-align: top; }
th { background: #eee; }
td.mono, .mono { font-family: ui-monospace, monospace; font-size: .82rem; word-break: break-all; }
pre { background: #f0f0f0; padding: .6rem; overflow: auto; max-height: 28rem; font-size: .82rem; white-space: pre-wrap; word-break: break-all; }
.passed { color: #116329; } .failed { color: #b3261e; font-weight: 600; } .skipped { color: #777; }
tr.expiring td.expiry { background: #fff1c2; color: #7a4a00; font-weight: 600; }
tr.expired td.expiry { background: #fde2e1; color: #b3261e; font-weight: 600; }
tr.revoked { color: #999; text-decoration: line-through; }
.status-2 { color: #116329; } .status-4, .status-5 { color: #b3261e; font-weight: 600; }
form.panel { background: #fff; border: 1px solid #ddd; padding: 1rem; margin: 1rem 0; display: grid; gap: .6rem; max-width: 44rem; }
form.inline { display: flex; gap: .8rem; align-items: end; flex-wrap: wrap; margin: .5rem 0; }
label { display: grid; gap: .2rem; font-size: .85rem; }
label.check { display: flex; gap: .4rem; align-items: center; }
textarea { font-family: ui-monospace, monospace; min-height: 8rem; }
button { cursor: pointer; }
#status { padding: .5rem .8rem; background: #fde2e1; color: #b3261e; }
#status.ok { background: #e3f5e6; color: #116329; }
.empty { color: #777; font-style: italic; }
`;

/** The script: JSON forms, action buttons, certificate download and the live request list. */
export const DASHBOARD_JS = `
'use strict';
(() => {
  const api = '/_dashboard';
  const status = (message, ok) => {
    const box = document.getElementById('status');
    if (!box) return;
    box.textContent = message;
    box.className = ok ? 'ok' : '';
    box.hidden = false;
  };
  // Every state change goes to the JSON API with Content-Type: application/json, which the
  // dashboard requires of POST/PUT (a cross-site form cannot send it).
  const call = async (method, path, body) => {
    const response = await fetch(api + path, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const value = text === '' ? undefined : JSON.parse(text);
    if (!response.ok) throw new Error((value && value.error && value.error.message) || ('HTTP ' + response.status));
    return value;
  };
  const fields = async (form) => {
    const out = {};
    for (const element of form.elements) {
      if (!element.name || element.disabled) continue;
      if (element.type === 'file') {
        if (element.files.length > 0 && !out[element.dataset.field]) out[element.dataset.field] = await element.files[0].text();
        continue;
      }
      if (element.type === 'checkbox') { if (element.checked) out[element.name] = true; continue; }
      if (element.value === '') continue;
      out[element.name] = element.type === 'number' || element.dataset.number !== undefined ? Number(element.value) : element.value;
    }
    return out;
  };

  document.addEventListener('submit', async (event) => {
    const form = event.target;
    if (!form.dataset.kind) return;
    event.preventDefault();
    try {
      const body = await fields(form);
      if (form.dataset.kind === 'renew') return await renew(form, body);
      if (form.dataset.kind === 'fault') {
        await call('POST', '/faults', body);
        return location.reload();
      }
    } catch (error) {
      status(error.message, false);
    }
  });

  const renew = async (form, body) => {
    const purpose = body.purpose;
    if (!body.csr) throw new Error('Paste a CSR or choose a CSR file (mcapi-keytool csr writes one).');
    const issued = purpose === 'signing'
      ? await call('POST', '/signing-keys', { csr: body.csr, project: body.project })
      : await call('POST', '/certificates', { csr: body.csr, purpose, project: body.project });
    const link = document.getElementById('download');
    // A data: URL: a download, not a fetch, so the page's connect-src stays 'self'.
    link.href = 'data:application/x-pem-file;charset=utf-8,' + encodeURIComponent(issued.certificate);
    link.download = purpose + '-' + issued.fingerprint.slice(0, 12) + '.crt';
    link.hidden = false;
    const result = document.getElementById('issued');
    result.textContent = 'Issued ' + purpose + ' certificate, fingerprint ' + issued.fingerprint +
      (issued.consumerKey ? ', consumer key ' + issued.consumerKey : '') + ', valid until ' + issued.notAfter + '.';
    result.hidden = false;
    status('Certificate issued: download it and import it with mcapi-keytool import-cert.', true);
    form.reset();
    await refresh('#keys');
  };

  document.addEventListener('click', async (event) => {
    const button = event.target.closest('button');
    if (!button) return;
    try {
      if (button.dataset.call) {
        const [method, path] = button.dataset.call.split(' ');
        await call(method, path);
        return location.reload();
      }
      if (button.dataset.removeFault !== undefined) {
        const rules = await call('GET', '/faults');
        rules.splice(Number(button.dataset.removeFault), 1);
        await call('PUT', '/faults', rules);
        return location.reload();
      }
      if (button.dataset.renewPurpose) {
        const form = document.getElementById('renew');
        form.elements.purpose.value = button.dataset.renewPurpose;
        form.elements.project.value = button.dataset.renewProject;
        form.elements.csr.focus();
      }
    } catch (error) {
      status(error.message, false);
    }
  });

  // Replaces a fragment with the same fragment of a fresh copy of this page (rendered and
  // escaped by the sandbox; DOMParser never runs scripts).
  const refresh = async (selector) => {
    const current = document.querySelector(selector);
    if (!current) return;
    const response = await fetch(location.href, { headers: { accept: 'text/html' } });
    const fresh = new DOMParser().parseFromString(await response.text(), 'text/html').querySelector(selector);
    if (fresh) current.replaceWith(fresh);
  };

  const live = document.getElementById('live');
  if (live) {
    const tick = async () => {
      if (live.checked) await refresh('#requests').catch(() => undefined);
      setTimeout(tick, 1000);
    };
    setTimeout(tick, 1000);
  }
})();
`;
