// The API console: serves the static single-page app in /console at GET / and /console/<file>.
export { consoleRoutes, CONSOLE_DIR } from './console-routes.js';
export { contentSecurityPolicy } from './security-headers.js';
