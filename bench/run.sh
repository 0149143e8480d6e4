#!/usr/bin/env bash
# One command for the McpGateway benchmarks: installs what they need, builds the gateway and the bench
# apps in Release (into bench/.artifacts, apart from the developers' bin/ and obj/), runs every
# measurement on 127.0.0.1 and prints the Markdown table, also written to bench/results/latest.md.
# Takes about 8 minutes on 2 cores. Knobs: BENCH_* variables (see bench/README.md).
set -euo pipefail
bench="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$bench/.." && pwd)"
source "$repo/scripts/lib/setup.sh"

ensure_dotnet
ensure_apt_packages wrk hey redis-server
ensure_dev_stack

echo "==> Building the gateway and the bench apps (Release)"
artifacts="$bench/.artifacts"
for project in src/McpGateway/McpGateway.csproj bench/ChatUpstream bench/BareProxy bench/McpEcho bench/Harness; do
  dotnet build "$repo/$project" -c Release --artifacts-path "$artifacts" -nologo -v quiet -clp:ErrorsOnly
done

echo "==> Running the benchmarks"
export BENCH_REPO="$repo"
export BENCH_BUILDS="$artifacts/bin"
export BENCH_OUTPUT="${BENCH_OUTPUT:-$bench/results/latest.md}"
export BENCH_LOGS="${BENCH_LOGS:-$bench/results/logs/$(date -u +%Y%m%d-%H%M%S)}"
exec dotnet "$artifacts/bin/Harness/release/Bench.Harness.dll"
