#!/usr/bin/env bash
# P1 proxy throughput, P2 added latency at a fixed rate, P7 RSS under load: web-bff's strangler route against
# nginx proxy_pass to the same backend (nginx `return 200` with a fixed JSON body) and against the backend
# direct, at the same concurrency, on the same pinned core. The route is public (auth: none), as nginx's is: no
# token to verify on either side. Loopback only; stops by itself.
#
#   bench/proxy.sh              # median of 3 runs of 10 s each, after a warm-up
#   SMOKE=1 bench/proxy.sh      # seconds: keeps the script working in CI
#   JFR=1 bench/proxy.sh        # also records the BFF under load (bench/out/*.jfr) and prints its top frames
source "$(dirname "$0")/lib.sh"
need nginx wrk hey taskset
backend=9101 proxy=9102 bff=9180
conns=${CONNECTIONS:-32}
rate=${RATE:-2000}

cat >"$work/routes.yml" <<EOF
routes:
  - id: bench
    paths: [/bench/**]
    legacy-uri: http://127.0.0.1:$backend
    new-uri: http://127.0.0.1:$backend
    weight: 0
    auth: none
EOF
start_nginx "$backend" "$proxy"
deps=()
for d in user activity account; do deps+=(--gateway.dependencies.instances.$d.base-url=http://127.0.0.1:$backend); done
start_bff web-bff "$bff" --gateway.routes.file="$work/routes.yml" "${deps[@]}"
curl -fsS -o /dev/null "http://127.0.0.1:$bff/bench/x" || { echo "the BFF route does not answer 200" >&2; exit 1; }

# the JIT needs more than one measure's warm-up: both BFF endpoints first, so neither is measured cold. The BFF's
# own no-downstream endpoint is liveness, which is served on the management port only (its own Tomcat connector)
own_url="http://127.0.0.1:$bff_management/actuator/health/liveness"
pin "$load_cpus" wrk -t1 -c"$conns" -d"$((warmup * 3))s" "http://127.0.0.1:$bff/bench/x" >/dev/null
pin "$load_cpus" wrk -t1 -c"$conns" -d"$((warmup * 2))s" "$own_url" >/dev/null
echo "# proxy: wrk -t1 -c$conns, ${duration}s x $runs (median), load on cpu $load_cpus, servers on cpu $sut_cpus" >&2
direct=$(wrk_rps "http://127.0.0.1:$backend/bench/x" "$conns")
nginx_rps=$(wrk_rps "http://127.0.0.1:$proxy/bench/x" "$conns")
own=$(wrk_rps "$own_url" "$conns")
gateway=$(wrk_rps "http://127.0.0.1:$bff/bench/x" "$conns")
rss=$(rss_mib "$bff_pid") hwm=$(hwm_mib "$bff_pid")
echo "direct $direct req/s; nginx proxy_pass $nginx_rps; web-bff own endpoint $own; web-bff route $gateway; RSS ${rss} MiB (peak since start $hwm)" >&2

echo "# added latency: hey at $rate req/s, 20 workers" >&2
read -r d50 d99 < <(hey_at "$rate" "http://127.0.0.1:$backend/bench/x")
read -r n50 n99 < <(hey_at "$rate" "http://127.0.0.1:$proxy/bench/x")
read -r g50 g99 < <(hey_at "$rate" "http://127.0.0.1:$bff/bench/x")
echo "p50/p99 ms: direct $d50/$d99; nginx $n50/$n99; web-bff $g50/$g99" >&2

vs_nginx=$(ratio "$gateway" "$nginx_rps")
vs_own=$(ratio "$gateway" "$own")
added=$(awk -v g="$g99" -v d="$d99" 'BEGIN { printf "%.2f", g - d }')
nginx_added=$(awk -v g="$n99" -v d="$d99" 'BEGIN { printf "%.2f", g - d }')
row "P1 proxy throughput vs nginx proxy_pass" "≥ 0.50" "$gateway vs $nginx_rps req/s (direct $direct)" "$vs_nginx" "$(verdict "$vs_nginx" '>=' 0.50)"
row "P1 proxy vs the BFF's own no-downstream endpoint" "≥ 0.80" "$gateway vs $own req/s" "$vs_own" "$(verdict "$vs_own" '>=' 0.80)"
row "P2 added p99 at $rate req/s" "≤ 1 ms" "p99 $g99 vs direct $d99 ms (nginx +$nginx_added ms)" "+$added ms" "$(verdict "$added" '<=' 1)"
row "P7 RSS under the P1 load" "≤ 256 MiB" "$rss MiB (peak since start $hwm MiB)" "$(ratio "$rss" 256)" "$(verdict "$rss" '<=' 256)"

if [ -n "${JFR:-}" ]; then
  stop_bff
  "$java" "$root/bench/JfrTop.java" "$out/web-bff-$bff.jfr" 25
fi
