import { type Html, html } from './html.js';

/** The pages of the web dashboard, in menu order. */
export const PAGES = [
  { id: 'requests', title: 'Requests' },
  { id: 'keys', title: 'Keys' },
  { id: 'faults', title: 'Faults' },
  { id: 'webhooks', title: 'Webhooks' },
] as const;

/** A page id. */
export type PageId = (typeof PAGES)[number]['id'] | 'overview';

/** Where the pages live, under the dashboard prefix. */
export const UI_PATH = '/_dashboard/ui';

/** Where the stylesheet and the script live (served by the sandbox; no CDN, no build step). */
export const ASSETS_PATH = '/_dashboard/assets';

/**
 * A whole dashboard page. The script and stylesheet are files of the same origin, so the
 * Content-Security-Policy sent with the page can forbid inline script outright.
 */
export function layout(title: string, active: PageId, content: Html): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · mcapi sandbox</title>
<link rel="icon" href="${ASSETS_PATH}/favicon.svg">
<link rel="stylesheet" href="${ASSETS_PATH}/dashboard.css">
<script src="${ASSETS_PATH}/dashboard.js" defer></script>
</head>
<body>
<header>
<a class="brand" href="/_dashboard/">mcapi sandbox</a>
<nav>${PAGES.map((page) => html`<a href="${UI_PATH}/${page.id}"${page.id === active ? html` aria-current="page"` : ''}>${page.title}</a>`)}</nav>
</header>
<main>
<h1>${title}</h1>
<p id="status" role="status" hidden></p>
${content}
</main>
</body>
</html>
`.markup;
}
