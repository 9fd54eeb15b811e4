#!/usr/bin/env bash
# P1 proxy throughput, P2 added latency at a fixed rate, P7 RSS under load: web-bff's strangler route against
# nginx proxy_pass to the same backend (nginx `return 200` with a fixed JSON body), against the backend direct, and
# against its peers: Spring Cloud Gateway WebFlux and Spring Cloud Gateway Server MVC (bench/peers, built with
# -Pbench), each out of the box with one properties-defined route to the same backend, run with the BFF's JVM flags
# and CPU placement. All in one run at the same concurrency, interleaved (every round loads every contender in
# turn), so every ratio is taken in one run. The route is public (auth: none), as nginx's and the peers' are: no
# token to verify on any side. Loopback only; stops by itself.
#
#   bench/proxy.sh              # median of 3 rounds of 10 s per contender, after a warm-up
#   SMOKE=1 bench/proxy.sh      # seconds: keeps the script working in CI
#   JFR=1 bench/proxy.sh        # also records the BFF under load (bench/out/*.jfr) and prints its top frames
source "$(dirname "$0")/lib.sh"
need nginx wrk hey taskset
backend=9101 proxy=9102 bff=9180 webflux=9181 mvc=9182
conns=${CONNECTIONS:-32}
rate=${RATE:-2000}

write_bench_routes "$backend"
start_nginx "$backend" "$proxy"
# the peers start while the BFF does; each is waited for below
launch_peer scg-webflux "$webflux" "$backend"
webflux_pid=$peer_pid
launch_peer scg-mvc "$mvc" "$backend"
mvc_pid=$peer_pid
deps=()
for d in user activity account; do deps+=(--gateway.dependencies.instances.$d.base-url=http://127.0.0.1:$backend); done
start_bff web-bff "$bff" --gateway.routes.file="$work/routes.yml" "${deps[@]}"
wait_port "$webflux" 120 "$webflux_pid" || { tail -40 "$work/scg-webflux-$webflux.log" >&2; exit 1; }
wait_port "$mvc" 120 "$mvc_pid" || { tail -40 "$work/scg-mvc-$mvc.log" >&2; exit 1; }
for port in "$bff" "$webflux" "$mvc"; do
  curl -fsS -o /dev/null "http://127.0.0.1:$port/bench/x" || { echo "the route on $port does not answer 200" >&2; exit 1; }
done

# the JIT needs more than one measure's warm-up: every JVM endpoint first, so none is measured cold. The BFF's
# own no-downstream endpoint is liveness, which is served on the management port only (its own Tomcat connector)
own_url="http://127.0.0.1:$bff_management/actuator/health/liveness"
for port in "$bff" "$webflux" "$mvc"; do
  pin "$load_cpus" wrk -t1 -c"$conns" -d"$((warmup * 3))s" "http://127.0.0.1:$port/bench/x" >/dev/null
done
pin "$load_cpus" wrk -t1 -c"$conns" -d"$((warmup * 2))s" "$own_url" >/dev/null

targets=(direct "http://127.0.0.1:$backend/bench/x" nginx "http://127.0.0.1:$proxy/bench/x" own "$own_url"
  bff "http://127.0.0.1:$bff/bench/x" webflux "http://127.0.0.1:$webflux/bench/x" mvc "http://127.0.0.1:$mvc/bench/x")
echo "# proxy: wrk -t1 -c$conns, ${duration}s x $runs rounds (median), interleaved, load on cpu $load_cpus, servers on cpu $sut_cpus" >&2
wrk_interleaved "$conns" "${targets[@]}" >"$work/rps"
declare -A rps kib
while read -r name value alloc; do rps[$name]=$value kib[$name]=$alloc; done <"$work/rps"
direct=${rps[direct]} nginx_rps=${rps[nginx]} own=${rps[own]} gateway=${rps[bff]} wf=${rps[webflux]} mv=${rps[mvc]}
rss=$(rss_mib "$bff_pid") hwm=$(hwm_mib "$bff_pid")
wf_rss=$(rss_mib "$webflux_pid") wf_hwm=$(hwm_mib "$webflux_pid")
mv_rss=$(rss_mib "$mvc_pid") mv_hwm=$(hwm_mib "$mvc_pid")
echo "direct $direct req/s; nginx proxy_pass $nginx_rps; web-bff own endpoint $own; web-bff route $gateway;" \
  "SCG WebFlux $wf; SCG Server MVC $mv" >&2
echo "heap allocated per request, KiB (GC log): web-bff route ${kib[bff]}; SCG WebFlux ${kib[webflux]};" \
  "SCG Server MVC ${kib[mvc]}" >&2
echo "RSS MiB (peak since start): web-bff $rss ($hwm); SCG WebFlux $wf_rss ($wf_hwm); SCG Server MVC $mv_rss ($mv_hwm)" >&2

echo "# added latency: hey at $rate req/s, ${HEY_WORKERS:-20} workers, interleaved" >&2
lat_targets=()
for ((i = 0; i < ${#targets[@]}; i += 2)); do [ "${targets[i]}" = own ] || lat_targets+=("${targets[i]}" "${targets[i + 1]}"); done
hey_interleaved "$rate" "${lat_targets[@]}" >"$work/lat"
declare -A p50 p99
while read -r name a b; do p50[$name]=$a p99[$name]=$b; done <"$work/lat"
d99=${p99[direct]} n99=${p99[nginx]} g99=${p99[bff]} w99=${p99[webflux]} m99=${p99[mvc]}
echo "p50/p99 ms: direct ${p50[direct]}/$d99; nginx ${p50[nginx]}/$n99; web-bff ${p50[bff]}/$g99;" \
  "SCG WebFlux ${p50[webflux]}/$w99; SCG Server MVC ${p50[mvc]}/$m99" >&2

over() { awk -v g="$1" -v d="$d99" 'BEGIN { printf "%+.2f", g - d }'; } # p99 added over the direct call, signed
# a ratio of added p99s, "—" when the peer adds nothing measurable (its p99 within 0.05 ms of direct)
added_ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b < 0.05) print "—"; else printf "%.2f", a / b }'; }
vs_nginx=$(ratio "$gateway" "$nginx_rps")
vs_own=$(ratio "$gateway" "$own")
added=$(over "$g99") nginx_added=$(over "$n99") wf_added=$(over "$w99") mv_added=$(over "$m99")
row "P1 proxy throughput vs nginx proxy_pass" "≥ 0.50" "$gateway vs $nginx_rps req/s (direct $direct)" "$vs_nginx" "$(verdict "$vs_nginx" '>=' 0.50)"
row "P1 proxy vs the BFF's own no-downstream endpoint" "≥ 0.80" "$gateway vs $own req/s" "$vs_own" "$(verdict "$vs_own" '>=' 0.80)"
row "P2 added p99 at $rate req/s" "≤ 1 ms" "p99 $g99 vs direct $d99 ms (nginx $nginx_added ms)" "$added ms" "$(verdict "$added" '<=' 1)"
row "P7 RSS under the P1 load" "≤ 256 MiB" "$rss MiB (peak since start $hwm MiB)" "$(ratio "$rss" 256)" "$(verdict "$rss" '<=' 256)"
# the peers: the goals are against SCG WebFlux; Server MVC (the stack the BFF's proxy is built on) is shown beside
vs_wf=$(ratio "$gateway" "$wf") vs_mv=$(ratio "$gateway" "$mv")
row "P1 proxy throughput vs SCG WebFlux (out of the box)" "≥ 1.0" "$gateway vs $wf req/s (SCG Server MVC $mv, nginx $nginx_rps, direct $direct)" \
  "$vs_wf" "$(verdict "$vs_wf" '>=' 1.0)"
row "P1 proxy throughput vs SCG Server MVC (out of the box)" "—" "$gateway vs $mv req/s" "$vs_mv" "—"
p2_wf=$(added_ratio "$added" "$wf_added") p2_mv=$(added_ratio "$added" "$mv_added")
row "P2 added p99 at $rate req/s vs SCG WebFlux" "≤ 1.0" "$added vs $wf_added ms over direct $d99 ms (SCG Server MVC $mv_added, nginx $nginx_added)" \
  "$p2_wf" "$(verdict "$added" '<=' "$wf_added")"
row "P2 added p99 at $rate req/s vs SCG Server MVC" "—" "$added vs $mv_added ms" "$p2_mv" "—"
p7_wf=$(ratio "$rss" "$wf_rss") p7_mv=$(ratio "$rss" "$mv_rss")
row "P7 RSS under the P1 load vs SCG WebFlux" "≤ 1.0" "$rss vs $wf_rss MiB (SCG Server MVC $mv_rss; peaks $hwm, $wf_hwm, $mv_hwm)" \
  "$p7_wf" "$(verdict "$p7_wf" '<=' 1.0)"
row "P7 RSS under the P1 load vs SCG Server MVC" "—" "$rss vs $mv_rss MiB" "$p7_mv" "—"
row "P1 heap allocated per proxied request (GC log ÷ requests, P1 load)" "≤ 16 KiB" \
  "${kib[bff]} KiB (SCG WebFlux ${kib[webflux]}, SCG Server MVC ${kib[mvc]})" "$(ratio "${kib[bff]}" 16)" \
  "$(verdict "${kib[bff]}" '<=' 16)"

if [ -n "${JFR:-}" ]; then
  stop_bff
  "$java" "$root/bench/JfrTop.java" "$out/web-bff-$bff.jfr" 25
fi
