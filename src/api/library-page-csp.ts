// The Content-Security-Policy of the pages this server serves from a library: the OpenAPI page
// (swagger-ui at /docs) and the queue dashboard (bull-board at /admin/queues). Both share their
// origin with the console, which keeps the API key in session storage, so each runs only its own
// scripts, calls only this server and is never framed. Both set inline style attributes, so
// styles allow 'unsafe-inline' while scripts do not.

/** `baseUri`: 'self' for a page that sets a <base href> for its relative assets (bull-board). */
export function libraryPageCsp(baseUri: "'none'" | "'self'"): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    `base-uri ${baseUri}`,
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
