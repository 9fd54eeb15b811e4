#!/usr/bin/env bash
# JMH microbenchmarks of the hot paths (bench/jmh): side selection and route lookup (RoutingBenchmark), and a
# Resilience4j-decorated call vs a direct one (ResilienceBenchmark), and what shared circuit state adds to a call
# (SharedCircuitsBenchmark). Built with -Pbench, never by ./mvnw verify.
#
#   bench/jmh.sh            # 3 warm-up + 5 measured iterations of 1 s, one fork
#   SMOKE=1 bench/jmh.sh    # one short iteration each: keeps the benchmarks working in CI
source "$(dirname "$0")/lib.sh"
(cd "$root" && JAVA_HOME=$JAVA_HOME ./mvnw -q -Pbench -pl bench/jmh -am -DskipTests package >&2)
args=()
[ -n "${SMOKE:-}" ] && args=(-wi 1 -i 1 -w 200ms -r 200ms)
"$java" -jar "$root/bench/jmh/target/benchmarks.jar" 'RoutingBenchmark|ResilienceBenchmark|SharedCircuitsBenchmark' "${args[@]}" \
  -rf csv -rff "$work/jmh.csv" >&2
score() { awk -F, -v b="$1" '{ n = $1; gsub(/"/, "", n) } n ~ ("(^|[.])" b "$") { printf "%.1f", $5 }' "$work/jmh.csv"; }
direct=$(score ResilienceBenchmark.direct)
breaker=$(score ResilienceBenchmark.breaker)
both=$(score ResilienceBenchmark.breakerAndBulkhead)
rejected=$(score ResilienceBenchmark.rejectedByOpenBreaker)
row "JMH side selection, sticky key (per-request)" "—" "$(score RoutingBenchmark.selectSticky) ns ($(score RoutingBenchmark.selectPerRequest) ns)" "—" "—"
row "JMH route lookup, 20-route table (miss)" "—" "$(score RoutingBenchmark.lookupLastOfTwentyRoutes) ns ($(score RoutingBenchmark.lookupMiss) ns)" "—" "—"
row "JMH breaker-decorated call − direct (anchor: ~190 ns)" "—" "$breaker − $direct ns; + bulkhead $both ns; rejected $rejected ns" \
  "+$(awk -v a="$breaker" -v b="$direct" 'BEGIN { printf "%.1f", a - b }') ns" "—"
alone=$(score SharedCircuitsBenchmark.breakerAlone)
shared=$(score SharedCircuitsBenchmark.breakerShared)
row "JMH breaker call with shared circuit state − alone" "—" "$shared − $alone ns; Lambda stale check $(score SharedCircuitsBenchmark.invocationStaleCheck) ns" \
  "+$(awk -v a="$shared" -v b="$alone" 'BEGIN { printf "%.1f", a - b }') ns" "—"
