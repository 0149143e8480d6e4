#!/usr/bin/env bash
# Summarizes a bench/profile.sh output folder into SUMMARY.md: perf's top symbols (self and inclusive)
# and modules, allocation rate per request or call from dotnet-counters, and the heap dumps' top types.
set -uo pipefail
out="$1"
summary="$out/SUMMARY.md"
gateway_frames='McpGateway|Yarp|Microsoft.AspNetCore|StackExchange|DataProtection|OpenTelemetry|Microsoft.Extensions.Logging|ModelContextProtocol|System.Text.Json|System.Net.Http|System.Threading.RateLimiting|System.Security.Cryptography'
{
  echo "# Profile summary ($(basename "$out"))"
  echo
  for data in "$out"/*.perf.data; do
    [ -e "$data" ] || continue
    label="$(basename "$data" .perf.data)"
    echo "## $label: CPU (perf, cpu-clock, 499 Hz)"
    echo
    echo '### by module (self)'
    echo '```'
    perf report -i "$data" --stdio --no-children --sort dso -g none --percent-limit 1 2>/dev/null | grep -v '^#' | grep -v '^$' | head -20
    echo '```'
    echo '### top symbols (self)'
    echo '```'
    perf report -i "$data" --stdio --no-children --sort sym -g none --percent-limit 0.6 2>/dev/null | grep -v '^#' | grep -v '^$' | head -45
    echo '```'
    echo '### application frames, inclusive (children)'
    echo '```'
    perf report -i "$data" --stdio --children --sort sym -g none --percent-limit 1 2>/dev/null | grep -v '^#' | grep -E "$gateway_frames" | head -60
    echo '```'
    echo
  done
  for csv in "$out"/*.counters.csv; do
    [ -e "$csv" ] || continue
    echo "## $(basename "$csv" .counters.csv): runtime counters (mean over the window)"
    echo '```'
    awk -F, 'NR > 1 { key = $2 " / " $3; sum[key] += $5; n[key]++ } END { for (k in sum) printf "%-95s %18.1f\n", k, sum[k] / n[k] }' "$csv" | sort | grep -iE 'alloc|gc|cpu|thread|request|working|heap|lock|exception' | head -40
    echo '```'
    echo
  done
  for dump in "$out"/*.gcdump; do
    [ -e "$dump" ] || continue
    echo "## $(basename "$dump" .gcdump): live heap after a forced GC (dotnet-gcdump report)"
    echo '```'
    "$HOME/.dotnet/tools/dotnet-gcdump" report "$dump" 2>/dev/null | head -45
    echo '```'
    echo
  done
} > "$summary"
echo "Profile summary: $summary"
