import { fileURLToPath } from 'node:url';
import type { IncomingMessage } from 'node:http';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig, type ProxyOptions } from 'vite';

/**
 * The gateway the dev server forwards to (scripts/run-local.sh starts it on 127.0.0.1:5000), and the
 * origin it was configured with (Gateway:PublicOrigin). The gateway accepts a WebSocket only from
 * that origin; when the page comes from this dev server instead, its same-origin upgrade requests are
 * re-stamped with the gateway's origin (cross-site ones are passed on untouched, and refused).
 */
const gateway = process.env.GATEWAY_URL ?? 'http://127.0.0.1:5000';
const gatewayOrigin = new URL(process.env.GATEWAY_PUBLIC_ORIGIN ?? gateway).origin;

function restampSameOriginUpgrade(proxyReq: { getHeader(name: string): unknown; setHeader(name: string, value: string): unknown }, req: IncomingMessage): void {
  const origin = req.headers.origin;
  if (origin && origin === `http://${req.headers.host}` && origin !== gatewayOrigin) proxyReq.setHeader('origin', gatewayOrigin);
}

// changeOrigin stays false: the gateway builds every URL from its configured public origin anyway.
const http: ProxyOptions = { target: gateway, changeOrigin: false, xfwd: true };
const proxy: Record<string, ProxyOptions> = {
  '/auth': http,
  '/api': http,
  '/signin-oidc': http,
  '/signout-callback-oidc': http,
  '/healthz': http,
  '/readyz': http,
  '/swagger': http,
  '/mcp': {
    ...http,
    ws: true,
    configure: (server) => server.on('proxyReqWs', (proxyReq, req) => restampSameOriginUpgrade(proxyReq, req)),
  },
};

export default defineConfig({
  plugins: [svelte()],
  build: {
    // The gateway serves these as its static files; they are build output, never committed.
    outDir: fileURLToPath(new URL('../McpGateway/wwwroot', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    assetsDir: 'assets',
  },
  server: { host: '127.0.0.1', port: 5173, strictPort: true, proxy },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true, proxy },
});
