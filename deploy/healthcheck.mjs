// The image's HEALTHCHECK: GET /healthz of whichever role runs in this container. `docker exec`
// does not see what the entrypoint exported, so it asks the API's PORT first and then a worker's
// METRICS_PORT. Exits 0 when one answers 200.
const ports = [process.env.PORT ?? '8080', process.env.METRICS_PORT ?? '9464'];
for (const port of ports) {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(4000) });
    process.exit(response.status === 200 ? 0 : 1);
  } catch {
    // nothing listens on this port: try the next one
  }
}
process.exit(1);
