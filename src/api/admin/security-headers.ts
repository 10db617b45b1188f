// The headers of every /admin answer. bull-board's page loads only its own scripts and styles
// from this server. It also asks for Google's fonts: not allowed, so the dashboard makes no
// request outside this server (it falls back to the system's fonts).
import { CONSOLE_HEADERS } from '../console/security-headers.js';
import { libraryPageCsp } from '../library-page-csp.js';

// The page sets <base href="/admin/queues/"> for its relative asset paths.
export const DASHBOARD_CSP = libraryPageCsp("'self'");

/** The dashboard is no API for other origins: none of the API's CORS headers. */
export const CORS_HEADERS = ['Access-Control-Allow-Origin', 'Access-Control-Allow-Methods', 'Access-Control-Allow-Headers'] as const;

export const ADMIN_HEADERS = { ...CONSOLE_HEADERS, 'Content-Security-Policy': DASHBOARD_CSP } as const;
