#!/usr/bin/env bash
# Before and after, from the same run: several builds of web-bff (exec jars, e.g. one per commit built in a scratch
# worktree) and SCG WebFlux, each proxying the same nginx backend through the same public route, measured in
# interleaved rounds as bench/proxy.sh measures them: throughput (wrk -t1 -c32), heap allocated per request (each
# JVM's GC log), p50/p99 at 2,000 req/s (hey), RSS after the throughput rounds. A build may carry JVM flags of its
# own after an @, commas for spaces. Loopback only; stops by itself. About 1 min per build and round.
#
#   JARS="before=/tmp/before.jar after=web-bff/target/web-bff-0.1.0-SNAPSHOT-exec.jar" bench/compare.sh
#   JARS="plain=web-bff/target/web-bff-0.1.0-SNAPSHOT-exec.jar coh=web-bff/target/web-bff-0.1.0-SNAPSHOT-exec.jar@-XX:+UseCompactObjectHeaders" bench/compare.sh
#
# How each build was made is the caller's to record (docs/benchmarks.md, issue 16 gives the commits).
source "$(dirname "$0")/lib.sh"
need nginx wrk hey taskset
[ -n "${JARS:-}" ] || { echo "JARS=\"name=path[@flags] ...\" is required" >&2; exit 1; }
backend=9101 webflux=9181 port=9200
conns=${CONNECTIONS:-32}
rate=${RATE:-2000}
write_bench_routes "$backend"
start_nginx "$backend"
launch_peer scg-webflux "$webflux" "$backend"
webflux_pid=$peer_pid
deps=()
for d in user activity account; do deps+=(--gateway.dependencies.instances.$d.base-url=http://127.0.0.1:$backend); done
targets=() names=() bff_pids=()
for spec in $JARS; do
  name=${spec%%=*} build=${spec#*=} flags=""
  if [[ $build == *@* ]]; then flags=${build#*@}; flags=${flags//,/ }; build=${build%%@*}; fi
  [ -f "$build" ] || { echo "no such jar: $build" >&2; exit 1; }
  bff_jar() { echo "$build"; }
  BFF_JAVA_OPTS="${BFF_JAVA_OPTS:-} $flags" start_bff web-bff "$port" --gateway.routes.file="$work/routes.yml" "${deps[@]}"
  targets+=("$name" "http://127.0.0.1:$port/bench/x")
  names+=("$name")
  bff_pids+=("$bff_pid")
  port=$((port + 20)) # each BFF's management port is its public port + 10
done
wait_port "$webflux" 120 "$webflux_pid" || { tail -40 "$work/scg-webflux-$webflux.log" >&2; exit 1; }
targets+=(webflux "http://127.0.0.1:$webflux/bench/x")
for ((i = 1; i < ${#targets[@]}; i += 2)); do # the JIT needs more than one measure's warm-up
  pin "$load_cpus" wrk -t1 -c"$conns" -d"$((warmup * 3))s" "${targets[i]}" >/dev/null
done
echo "# compare: wrk -t1 -c$conns, ${duration}s x $runs rounds (median), interleaved; hey at $rate req/s" >&2
wrk_interleaved "$conns" "${targets[@]}" >"$work/rps"
declare -A rps kib p50 p99 rss
while read -r name value alloc; do rps[$name]=$value kib[$name]=$alloc; done <"$work/rps"
for i in "${!names[@]}"; do rss[${names[$i]}]=$(rss_mib "${bff_pids[$i]}"); done
rss[webflux]=$(rss_mib "$webflux_pid")
hey_interleaved "$rate" "${targets[@]}" >"$work/lat"
while read -r name a b; do p50[$name]=$a p99[$name]=$b; done <"$work/lat"
echo "| build | req/s | ÷ SCG WebFlux | KiB allocated per request | p50 / p99 at $rate req/s, ms | RSS MiB |"
echo "|---|---|---|---|---|---|"
for name in "${names[@]}" webflux; do
  echo "| $name | ${rps[$name]} | $(ratio "${rps[$name]}" "${rps[webflux]}") | ${kib[$name]} | ${p50[$name]} / ${p99[$name]} | ${rss[$name]} |"
done
