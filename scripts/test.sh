#!/usr/bin/env bash
# Sets up a fresh Debian machine (that has the .NET SDK) and runs every test of McpGateway:
# the unit tests and the integration tests against a real Redis, the development OpenID provider and
# the other real parts, which the tests start themselves on 127.0.0.1. Safe to run again.
set -euo pipefail
source "$(dirname "$0")/lib/setup.sh"
cd "$(repo_root)"

ensure_dotnet
ensure_apt_packages redis-server chromium docker-compose nginx-light
# kubectl builds the Kubernetes manifests (kustomize); Debian's kubernetes-client provides it where none is installed.
command -v kubectl >/dev/null || ensure_apt_packages kubernetes-client
ensure_dev_stack
ensure_conformance_suite
ensure_browser_sdk
build_frontend

echo "==> Checking and testing the frontend (svelte-check, Vitest)"
(cd src/web && npm run check --silent && npm test --silent)

echo "==> Running the .NET tests"
dotnet test --solution McpGateway.sln "$@"
