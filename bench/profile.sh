#!/usr/bin/env bash
# Profiles what the benchmarks measure: runs bench/run.sh with profiling on (one chat round, the bridge,
# 1,000 idle sockets, and the configuration experiments) and then summarizes
#   - perf CPU samples of the gateway and of the bare YARP proxy under the chat load, and of the gateway
#     under the 64-client bridge load (JIT'd frames named through DOTNET_PerfMapEnabled=1);
#   - dotnet-counters (allocation rate, GC, thread pool) over the same windows;
#   - GC heap dumps of a gateway holding 1,000 idle sockets (open, and initialized).
# Figures of a profiled run are perturbed by the profilers: publish those of bench/run.sh instead.
# Output: bench/results/profile/<time>/ (raw files) and SUMMARY.md there.
set -euo pipefail
bench="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$bench/.." && pwd)"
source "$repo/scripts/lib/setup.sh"
ensure_apt_packages linux-perf
tools="$HOME/.dotnet/tools"
for tool in dotnet-counters dotnet-gcdump dotnet-trace; do
  [ -x "$tools/$tool" ] || dotnet tool install -g "$tool" >/dev/null
done

out="$bench/results/profile/$(date -u +%Y%m%d-%H%M%S)"
mkdir -p "$out"
BENCH_PROFILE_DIR="$out" \
BENCH_OUTPUT="$out/table.md" \
BENCH_LOGS="$out/logs" \
BENCH_SECTIONS="${BENCH_SECTIONS:-chat,bridge,experiments,idle}" \
BENCH_CHAT_ROUNDS=1 BENCH_CHAT_SECONDS=10 BENCH_MCP_CLIENTS="${BENCH_MCP_CLIENTS:-64}" BENCH_IDLE_COUNTS=1000 \
  "$bench/run.sh"

"$bench/tools/summarize-profile.sh" "$out"
