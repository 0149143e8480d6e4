# Sums perf's self percentages by .NET assembly (JIT'd frames name it in brackets) or by native module.
# Input: perf report --stdio --no-children --sort dso,sym -g none --percent-limit 0
/%/ && !/^#/ {
  pct = $1; sub("%", "", pct)
  line = $0
  if (line ~ /\[JIT\]/) {
    rest = substr(line, index(line, "[.]") + 3)
    if (match(rest, /\[[A-Z][A-Za-z0-9_.]+\]/)) { key = substr(rest, RSTART, RLENGTH) } else { key = "[JIT'd, unnamed]" }
  } else { key = $2 }
  sum[key] += pct
}
END { for (k in sum) printf "%7.2f%%  %s\n", sum[k], k }
