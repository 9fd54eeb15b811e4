#!/usr/bin/env bash
# Before and after, from the same run: several builds of web-bff (exec jars, e.g. one per commit built in a scratch
# worktree) measured in interleaved rounds. A build may carry JVM flags of its own after an @, commas for spaces.
# Loopback only; stops by itself. How each build was made is the caller's to record (docs/benchmarks.md, issue 16
# gives the commits).
#
# MEASURE=proxy (default), as bench/proxy.sh measures the route, with SCG WebFlux beside the builds: throughput
# (wrk -t1 -c32), heap allocated per request (each JVM's GC log), p50/p99 at 2,000 req/s (hey), RSS after the
# throughput rounds. About 1 min per build and round.
#
# MEASURE=dashboard, as bench/dashboard.sh measures /dashboard: dependencies answering after 20, 50 and 100 ms
# (DELAYS to change them, e.g. DELAYS="1 1 1" for the BFF's own cost alone), 200 dashboards/s with the bench's token
# (RATE) sent evenly paced (bench/Paced.java) and by hey (50 workers firing together), p50/p99 of each, and what a
# dashboard costs each build: CPU ms (/proc/<pid>/stat, less the JIT's) and KiB allocated (its GC log) over the hey
# run; medians over the rounds; the slowest stub alone is measured in the same rounds. About 25 s per build and
# round, after 45 s of warm-up per build.
#
#   JARS="before=/tmp/before.jar after=web-bff/target/web-bff-0.1.0-SNAPSHOT-exec.jar" bench/compare.sh
#   JARS="plain=web-bff/target/web-bff-0.1.0-SNAPSHOT-exec.jar coh=web-bff/target/web-bff-0.1.0-SNAPSHOT-exec.jar@-XX:+UseCompactObjectHeaders" bench/compare.sh
#   MEASURE=dashboard JARS="before=/tmp/before.jar after=web-bff/target/web-bff-0.1.0-SNAPSHOT-exec.jar" bench/compare.sh
source "$(dirname "$0")/lib.sh"
need nginx wrk hey taskset
[ -n "${JARS:-}" ] || { echo "JARS=\"name=path[@flags] ...\" is required" >&2; exit 1; }
measure=${MEASURE:-proxy}
backend=9101 webflux=9181 port=9200
case $measure in
  proxy)
    rate=${RATE:-2000}
    write_bench_routes "$backend"
    start_nginx "$backend"
    launch_peer scg-webflux "$webflux" "$backend"
    webflux_pid=$peer_pid
    bff_args=(--gateway.routes.file="$work/routes.yml")
    for d in user activity account; do bff_args+=(--gateway.dependencies.instances.$d.base-url=http://127.0.0.1:$backend); done
    ;;
  dashboard)
    [ -f /usr/lib/nginx/modules/ngx_http_echo_module.so ] || { echo "missing nginx echo module (apt-get install libnginx-mod-http-echo)" >&2; exit 1; }
    rate=${RATE:-200}
    export HEY_WORKERS=50
    read -r -a delays <<<"${DELAYS:-20 50 100}"
    start_delay_stub "$backend" $(printf '%s\n' "${delays[@]}" | sort -un)
    bff_args=(--gateway.routes.enabled=false)
    i=0
    for d in user activity account; do
      bff_args+=(--gateway.dependencies.instances.$d.base-url=http://127.0.0.1:$backend/d${delays[i]}); i=$((i + 1))
    done
    user=(-H "Authorization: Bearer $(bench_token)")
    ;;
  *) echo "MEASURE must be proxy or dashboard, not $measure" >&2; exit 1 ;;
esac
targets=() names=() bff_pids=() bff_ports=()
for spec in $JARS; do
  name=${spec%%=*} build=${spec#*=} flags=""
  if [[ $build == *@* ]]; then flags=${build#*@}; flags=${flags//,/ }; build=${build%%@*}; fi
  [ -f "$build" ] || { echo "no such jar: $build" >&2; exit 1; }
  bff_jar() { echo "$build"; }
  BFF_JAVA_OPTS="${BFF_JAVA_OPTS:-} $flags" start_bff web-bff "$port" "${bff_args[@]}"
  names+=("$name")
  bff_pids+=("$bff_pid")
  bff_ports+=("$port")
  port=$((port + 20)) # each BFF's management port is its public port + 10
done

if [ "$measure" = dashboard ]; then
  stub_url="http://127.0.0.1:$backend/d${delays[2]}/accounts/u-42"
  for i in "${!names[@]}"; do # the JIT settles after some 45 s of this load; and every dependency answers before anything is measured
    hey_once "$((warmup * 9))" "$rate" "http://127.0.0.1:${bff_ports[$i]}/dashboard" "${user[@]}" >/dev/null
  done
  echo "# compare: /dashboard at $rate req/s (hey, $HEY_WORKERS workers), dependencies after ${delays[*]} ms, ${duration}s x $runs rounds (medians), interleaved" >&2
  paced() { runs=1 warmup=1 paced_at "$rate" "$@"; } # one paced run per round: "<p50> <p99>"
  lines=() # name, hey p50 p99, CPU ms, KiB, paced p50 p99
  for ((r = 0; r < runs; r++)); do
    lines+=("stub $(hey_once "$duration" "$rate" "$stub_url") - - $(paced "$stub_url")")
    for i in "${!names[@]}"; do
      url="http://127.0.0.1:${bff_ports[$i]}/dashboard"
      lines+=("${names[$i]} $(hey_costed "${bff_pids[$i]}" "${bff_ports[$i]}" "$duration" "$rate" "$url" "${user[@]}") $(paced "$url" "${user[1]}")")
    done
  done
  col() { printf '%s\n' "${lines[@]}" | awk -v n="$1" -v c="$2" '$1 == n && $c != "-" { print $c }' | median; }
  echo "| build | evenly paced: p50 / p99, ms | p99 ÷ the ${delays[2]} ms stub's | hey: p50 / p99, ms | p99 ÷ the stub's | CPU ms per dashboard | KiB allocated per dashboard |"
  echo "|---|---|---|---|---|---|---|"
  for name in "${names[@]}"; do
    echo "| $name | $(col "$name" 6) / $(col "$name" 7) | $(ratio "$(col "$name" 7)" "$(col stub 7)") | $(col "$name" 2) / $(col "$name" 3) | $(ratio "$(col "$name" 3)" "$(col stub 3)") | $(col "$name" 4) | $(col "$name" 5) |"
  done
  echo "| the ${delays[2]} ms stub alone | $(col stub 6) / $(col stub 7) | 1 | $(col stub 2) / $(col stub 3) | 1 | — | — |"
  exit 0
fi

for i in "${!names[@]}"; do targets+=("${names[$i]}" "http://127.0.0.1:${bff_ports[$i]}/bench/x"); done
wait_port "$webflux" 120 "$webflux_pid" || { tail -40 "$work/scg-webflux-$webflux.log" >&2; exit 1; }
targets+=(webflux "http://127.0.0.1:$webflux/bench/x")
for ((i = 1; i < ${#targets[@]}; i += 2)); do # the JIT needs more than one measure's warm-up
  pin "$load_cpus" wrk -t1 -c32 -d"$((warmup * 3))s" "${targets[i]}" >/dev/null
done
conns=${CONNECTIONS:-32}
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
