// The headers of the console's page and assets. The CSP allows only this server's own scripts,
// styles and API, so text from a file or a status message can never run as code.

/**
 * The page's Content-Security-Policy. `connectOrigin` is PUBLIC_URL's origin when it is set,
 * because process and download URLs then point there rather than at the page's own origin.
 * Images and frames come only from the same origins: the previews of results (an <img> of an
 * image, an <iframe> of a PDF, each its download URL with ?inline).
 */
export function contentSecurityPolicy(connectOrigin?: string): string {
  const own = connectOrigin === undefined ? "'self'" : `'self' ${connectOrigin}`;
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src ${own} data: blob:`,
    `frame-src ${own}`,
    `connect-src ${own}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export const CONSOLE_HEADERS = {
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
} as const;
