#!/usr/bin/env bash
# Sets up a fresh Debian machine (that has the .NET SDK) and runs McpGateway with a local development
# stack, all on 127.0.0.1: Redis (with persistence), the development OpenID provider with dynamic
# client registration, an MCP server behind a bearer-checking front, and a sample chat upstream.
# Prints the URL to open; Ctrl-C stops everything. Safe to run again (it stops what a previous run left).
set -euo pipefail
source "$(dirname "$0")/lib/setup.sh"
ROOT="$(repo_root)"
cd "$ROOT"

GATEWAY_PORT="${GATEWAY_PORT:-5000}"
# The origin the browser uses; set it to the Vite dev server (http://127.0.0.1:5173) when working on src/web with `npm run dev`.
PUBLIC_ORIGIN="${GATEWAY_PUBLIC_ORIGIN:-http://127.0.0.1:$GATEWAY_PORT}"
STACK_BASE_PORT="${STACK_BASE_PORT:-5100}"
REDIS_PORT="${REDIS_PORT:-6390}"
STATE="$ROOT/.local-stack"
mkdir -p "$STATE"

ensure_dotnet
ensure_apt_packages redis-server
ensure_dev_stack

stop_previous() {
  if [ -f "$STATE/stack.pid" ] && kill -0 "$(cat "$STATE/stack.pid")" 2>/dev/null; then
    kill -TERM "$(cat "$STATE/stack.pid")" 2>/dev/null || true
    sleep 2
  fi
  redis-cli -p "$REDIS_PORT" shutdown >/dev/null 2>&1 || true
  rm -f "$STATE/stack.pid"
}
cleanup() {
  echo "==> Stopping the local stack"
  stop_previous
}
stop_previous
trap cleanup EXIT INT TERM

echo "==> Starting Redis on 127.0.0.1:$REDIS_PORT (append-only file in $STATE)"
redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$STATE" --appendonly yes --save '' \
  --daemonize yes --pidfile "$STATE/redis.pid" --logfile "$STATE/redis.log"

echo "==> Starting the development stack on ports $STACK_BASE_PORT-$((STACK_BASE_PORT + 4)) (log: $STATE/stack.log)"
(cd deploy/dev && BASE_PORT="$STACK_BASE_PORT" exec node stack.mjs) >"$STATE/stack.log" 2>&1 &
echo $! >"$STATE/stack.pid"
for _ in $(seq 1 60); do
  grep -q "DEV STACK READY" "$STATE/stack.log" && break
  kill -0 "$(cat "$STATE/stack.pid")" 2>/dev/null || { cat "$STATE/stack.log"; exit 1; }
  sleep 0.5
done
grep -q "DEV STACK READY" "$STATE/stack.log" || { echo "The development stack did not start:"; tail -20 "$STATE/stack.log"; exit 1; }

build_frontend

echo "==> Building the gateway"
dotnet build src/McpGateway -c Release -v quiet -nologo

export ASPNETCORE_URLS="http://127.0.0.1:$GATEWAY_PORT"
export Gateway__PublicOrigin="$PUBLIC_ORIGIN"
export Auth__Authority="http://127.0.0.1:$STACK_BASE_PORT"
export Auth__RequireHttpsMetadata=false
export Redis__Configuration="127.0.0.1:$REDIS_PORT"
export Upstreams__Mcp__Url="http://127.0.0.1:$((STACK_BASE_PORT + 2))/mcp"
export Upstreams__Chat__Url="http://127.0.0.1:$((STACK_BASE_PORT + 3))"
export Tools__WebSearch__Url="http://127.0.0.1:$((STACK_BASE_PORT + 4))/search"
export Tools__FileRead__Root="$ROOT/deploy/dev/files"
export Logging__Console__FormatterName=simple

echo
echo "    McpGateway: open $PUBLIC_ORIGIN   (sign in with any name and password)"
echo "    Swagger:    http://127.0.0.1:$GATEWAY_PORT/swagger   Readiness: http://127.0.0.1:$GATEWAY_PORT/readyz"
echo
dotnet run --project src/McpGateway -c Release --no-build --no-launch-profile
