// A worker-only process's small HTTP endpoint (METRICS_PORT): GET /metrics for Prometheus (with
// METRICS_KEY when set, as on the API) and GET /healthz for the container healthcheck. Plain
// node:http, since only the API uses Fastify.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Metrics } from '../src/core/metrics.js';
import { operatorKeyAccepted, queryKeyOf } from '../src/core/operator-key.js';

export interface MetricsServer {
  readonly port: number;
  close(): Promise<void>;
}

export async function startMetricsServer(metrics: Metrics, host: string, port: number, metricsKey?: string): Promise<MetricsServer> {
  const server = http.createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method === 'GET' && path === '/healthz') {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      return;
    }
    if (request.method !== 'GET' || path !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    if (!operatorKeyAccepted(metricsKey, request.headers.authorization, queryKeyOf(request.url))) {
      response.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"The metrics need the operator key: send METRICS_KEY as \\"Authorization: Bearer <key>\\" or ?key=<key>.","code":401}');
      return;
    }
    metrics.render().then(
      ({ contentType, body }) => response.writeHead(200, { 'content-type': contentType }).end(body),
      (error: unknown) => response.writeHead(500, { 'content-type': 'text/plain' }).end(`${(error as Error).message}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
