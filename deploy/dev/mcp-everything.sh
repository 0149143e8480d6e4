#!/bin/sh
# deploy/dev/mcp-everything.sh — start the MCP reference server (@modelcontextprotocol/server-everything)
# in Streamable HTTP mode, bound to 127.0.0.1 only. DEVELOPMENT / TEST ONLY.
#
# Usage:   PORT=5101 deploy/dev/mcp-everything.sh        (from any directory; needs `npm ci` in deploy/dev)
# Serves:  http://127.0.0.1:$PORT/mcp  (no authorization: put mcp-front.mjs in front of it)
# Ready:   stdout line `LOOPBACK LISTENING 127.0.0.1:<PORT>` (printed by loopback.mjs; the server itself
#          prints `MCP Streamable HTTP Server listening on port <PORT>` on stderr).
# Stop:    SIGTERM (the script execs node, so the pid you started is node's own pid).
#
# Equivalent to:  cd deploy/dev && PORT=5101 node --import ./loopback.mjs \
#                   node_modules/@modelcontextprotocol/server-everything/dist/index.js streamableHttp
#
# Environment variables
#   PORT            required. The server itself defaults to 3001; this wrapper insists on an explicit port.
#   LOOPBACK_QUIET  "1" to suppress the LOOPBACK LISTENING line.
# Everything else in the environment is visible to the server (its `get-env` tool returns it), so do
# not start it with secrets in the environment.
set -eu

DIR=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
ENTRY="$DIR/node_modules/@modelcontextprotocol/server-everything/dist/index.js"

case "${PORT:-}" in
  ''|*[!0-9]*) echo "mcp-everything.sh: PORT is required and must be a TCP port number" >&2; exit 2 ;;
esac
if [ ! -f "$ENTRY" ]; then
  echo "mcp-everything.sh: $ENTRY not found; run 'npm ci' in $DIR first" >&2
  exit 2
fi

exec node --import "$DIR/loopback.mjs" "$ENTRY" streamableHttp
