# Shared set-up steps for scripts/run-local.sh and scripts/test.sh. Each step is idempotent:
# installing what is already there is skipped, so the scripts are safe to run again.

repo_root() { cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# ensure_apt_packages PKG... — installs the Debian packages that are missing.
ensure_apt_packages() {
  local missing=()
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "==> Installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

# ensure_dev_stack — the Node.js development stack (deploy/dev), installed from its lock file.
ensure_dev_stack() {
  local root; root="$(repo_root)"
  if ! command -v node >/dev/null; then
    ensure_apt_packages nodejs npm
  fi
  if [ ! -d "$root/deploy/dev/node_modules/oidc-provider" ] || [ "$root/deploy/dev/package-lock.json" -nt "$root/deploy/dev/node_modules/.package-lock.json" ]; then
    echo "==> Installing the development stack (npm ci in deploy/dev)"
    (cd "$root/deploy/dev" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

# ensure_conformance_suite — the MCP conformance suite and the Node 22 it needs (tests/conformance), from its lock file.
ensure_conformance_suite() {
  local root; root="$(repo_root)"
  if [ ! -d "$root/tests/conformance/node_modules/@modelcontextprotocol/conformance" ] || [ "$root/tests/conformance/package-lock.json" -nt "$root/tests/conformance/node_modules/.package-lock.json" ]; then
    echo "==> Installing the MCP conformance suite (npm ci in tests/conformance)"
    (cd "$root/tests/conformance" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

# ensure_browser_sdk — the official MCP TypeScript SDK and esbuild (tests/browser-sdk), from its lock file,
# for the test that bundles the SDK into a page of the gateway's origin.
ensure_browser_sdk() {
  local root; root="$(repo_root)"
  if [ ! -d "$root/tests/browser-sdk/node_modules/@modelcontextprotocol/sdk" ] || [ "$root/tests/browser-sdk/package-lock.json" -nt "$root/tests/browser-sdk/node_modules/.package-lock.json" ]; then
    echo "==> Installing the MCP TypeScript SDK and esbuild (npm ci in tests/browser-sdk)"
    (cd "$root/tests/browser-sdk" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

ensure_dotnet() {
  if ! command -v dotnet >/dev/null; then
    echo "The .NET SDK 10 is required (https://dotnet.microsoft.com/download); 'dotnet' is not on PATH." >&2
    exit 1
  fi
}

# build_frontend — the Svelte app (src/web) into the gateway's wwwroot; installs its packages first.
build_frontend() {
  local root; root="$(repo_root)"
  if [ ! -d "$root/src/web/node_modules/svelte" ] || [ "$root/src/web/package-lock.json" -nt "$root/src/web/node_modules/.package-lock.json" ]; then
    echo "==> Installing the frontend's packages (npm ci in src/web)"
    (cd "$root/src/web" && npm ci --no-audit --no-fund --loglevel=error)
  fi
  echo "==> Building the frontend into src/McpGateway/wwwroot"
  (cd "$root/src/web" && npm run build --silent)
}
