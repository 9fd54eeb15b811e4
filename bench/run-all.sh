#!/usr/bin/env bash
# The whole suite, one run: prints docs/benchmarks.md's table (and keeps it in bench/out/table.md). Each script
# also runs alone. Loopback only; every part stops by itself. About 20 minutes; SMOKE=1 takes about 4.
#
#   bench/run-all.sh
#   SMOKE=1 bench/run-all.sh     # what CI runs: the scripts keep working; the figures mean nothing
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/out
table=bench/out/table.md
{
  echo "| Measure | Goal | Result | Ratio | Verdict | Date | Command |"
  echo "|---|---|---|---|---|---|---|"
} >"$table"
for script in proxy.sh dashboard.sh hedging.sh split.sh lambda-cold-start.sh jmh.sh; do
  if [ "$script" = lambda-cold-start.sh ] && [ -n "${SKIP_COLD_START:-}" ]; then
    echo "== bench/$script skipped (SKIP_COLD_START: it needs JDK 25+)" >&2
    continue
  fi
  echo "== bench/$script" >&2
  bash "bench/$script" | tee -a "$table"
done
echo >&2
cat "$table"
