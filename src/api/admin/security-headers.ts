// The headers of every /admin answer. bull-board's page loads only its own scripts and styles
// from this server; it sets inline style attributes (its loading screen), so styles allow
// 'unsafe-inline' while scripts do not. It also asks for Google's fonts: not allowed, so the
// dashboard makes no request outside this server (it falls back to the system's fonts).
import { CONSOLE_HEADERS } from '../console/security-headers.js';

export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  // The page sets <base href="/admin/queues/"> for its relative asset paths.
  "base-uri 'self'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The dashboard is no API for other origins: none of the API's CORS headers. */
export const CORS_HEADERS = ['Access-Control-Allow-Origin', 'Access-Control-Allow-Methods', 'Access-Control-Allow-Headers'] as const;

export const ADMIN_HEADERS = { ...CONSOLE_HEADERS, 'Content-Security-Policy': DASHBOARD_CSP } as const;
