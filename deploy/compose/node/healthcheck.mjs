// deploy/compose/node/healthcheck.mjs — container health check for the Node.js services of
// docker-compose.yml (node:20-slim has neither curl nor wget).
//
// Usage:  node /opt/compose/healthcheck.mjs URL [STATUS]
// Exits 0 when GET URL answers STATUS (default: any 2xx) within 4 s, 1 otherwise.

const [url, expected] = process.argv.slice(2);
if (!url) {
  process.stderr.write('usage: healthcheck.mjs URL [STATUS]\n');
  process.exit(2);
}

try {
  const response = await fetch(url, { signal: AbortSignal.timeout(4000), headers: { accept: 'application/json' } });
  await response.body?.cancel();
  const healthy = expected ? response.status === Number(expected) : response.ok;
  process.stdout.write(`${url}: ${response.status}\n`);
  process.exit(healthy ? 0 : 1);
} catch (err) {
  process.stderr.write(`${url}: ${err.message}\n`);
  process.exit(1);
}
