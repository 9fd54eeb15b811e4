#!/usr/bin/env bash
# P3 /dashboard fan-out with its three dependencies delayed 20, 50 and 100 ms (nginx's echo module), against the
# 100 ms stub alone, at a fixed rate; P4 the same with the account dependency dead (a closed port) and its breaker
# open, and what a call the open breaker rejects costs. Each request carries a bearer token (bench/Token.java);
# the breaker's state and its metrics are read on the management port. Loopback only; stops by itself.
#
# The 200 dashboards/s are sent two ways: by hey (-q per worker: its 50 workers tick together, so 50 dashboards
# arrive at once every 250 ms), and evenly paced (bench/Paced.java: one every 5 ms, latency from when each was
# due). The stub alone is measured both ways too; what a dashboard costs the BFF (CPU ms from /proc/<pid>/stat, KiB
# from its GC log) is read over one more hey run after the others, once the JIT has settled.
#
#   bench/dashboard.sh            # median of 3 runs of 10 s each, after a warm-up
#   SMOKE=1 bench/dashboard.sh    # seconds: keeps the script working in CI
source "$(dirname "$0")/lib.sh"
need nginx hey curl
[ -f /usr/lib/nginx/modules/ngx_http_echo_module.so ] || { echo "missing nginx echo module (apt-get install libnginx-mod-http-echo)" >&2; exit 1; }
stub=9201 bff=9280 dead=9299
rate=${DASHBOARD_RATE:-200}
export HEY_WORKERS=50 # 100 ms answers: each worker sends at most ~9 a second, so 50 keep up with 200/s
user=(-H "Authorization: Bearer $(bench_token)") # user u-42 with dashboard:read (bench/Token.java)

start_delay_stub "$stub" 20 50 100
dashboard_bff() { # account base URL
  start_bff web-bff "$bff" --gateway.routes.enabled=false \
    --management.metrics.distribution.percentiles.bff.downstream.calls=0.99 \
    --gateway.dependencies.instances.user.base-url="http://127.0.0.1:$stub/d20" \
    --gateway.dependencies.instances.activity.base-url="http://127.0.0.1:$stub/d50" \
    --gateway.dependencies.instances.account.base-url="$1"
}
degraded() { curl -fsS "${user[@]}" "http://127.0.0.1:$bff/dashboard" | sed -E 's/.*"degraded":(\[[^]]*\]).*/\1/'; }
expect_degraded() { # expected: a cold JVM's first calls may still time out, so a few tries
  local got
  for _ in 1 2 3 4 5; do got=$(degraded); [ "$got" = "$1" ] && return 0; done
  echo "dashboard degraded $got, expected $1" >&2; return 1
}
echo "# dashboard: hey at $rate req/s, $HEY_WORKERS workers, ${duration}s x $runs (median)" >&2
read -r s50 s99 < <(hey_at "$rate" "http://127.0.0.1:$stub/d100/accounts/u-42")
read -r ps50 ps99 < <(paced_at "$rate" "http://127.0.0.1:$stub/d100/accounts/u-42")

dashboard_bff "http://127.0.0.1:$stub/d100"
expect_degraded '[]'
read -r h50 h99 < <(hey_at "$rate" "http://127.0.0.1:$bff/dashboard" "${user[@]}")
read -r _ _ cpu kib < <(hey_costed "$bff_pid" "$bff" "$duration" "$rate" "http://127.0.0.1:$bff/dashboard" "${user[@]}")
read -r dp50 dp99 < <(paced_at "$rate" "http://127.0.0.1:$bff/dashboard" "${user[1]}")
stop_bff
echo "stub alone p50/p99 $s50/$s99 ms (paced $ps50/$ps99); dashboard (20+50+100 ms) $h50/$h99 ms (paced $dp50/$dp99); $cpu ms CPU and $kib KiB per dashboard" >&2

dashboard_bff "http://127.0.0.1:$dead"
expect_degraded '["account"]'
read -r d50 d99 < <(hey_at "$rate" "http://127.0.0.1:$bff/dashboard" "${user[@]}")
state=$(curl -fsS "http://127.0.0.1:$bff_management/actuator/health" | grep -o '"account":{[^}]*"state":"[A-Z_]*"' | grep -o '[A-Z_]*"$' | tr -d '"' || true)
rejected=$(curl -fsS "http://127.0.0.1:$bff_management/actuator/metrics/bff.downstream.calls?tag=dependency:account&tag=outcome:breaker_open")
stat() { grep -o "\"statistic\":\"$1\",\"value\":[0-9.Ee-]*" <<<"$2" | sed 's/.*://'; }
count=$(stat COUNT "$rejected") total=$(stat TOTAL_TIME "$rejected") max=$(stat MAX "$rejected")
[ "${count%.*}" -gt 0 ] || { echo "no call was rejected by account's breaker: $rejected" >&2; exit 1; }
# the registry is Prometheus's: the 0.99 quantile (a decaying window) is published there, not under /metrics
p99=$(curl -fsS "http://127.0.0.1:$bff_management/actuator/prometheus" \
  | awk '/^bff_downstream_calls_seconds\{dependency="account",outcome="breaker_open",quantile="0.99"\}/ { print $2 }')
mean_ms=$(awk -v t="$total" -v c="$count" 'BEGIN { printf "%.4f", t / c * 1000 }')
max_ms=$(awk -v m="$max" 'BEGIN { printf "%.3f", m * 1000 }')
p99_ms=$(awk -v m="$p99" 'BEGIN { printf "%.4f", m * 1000 }')
echo "account dead (breaker ${state:-?}): dashboard p50/p99 $d50/$d99 ms; ${count%.*} rejected calls, mean $mean_ms ms, p99 $p99_ms ms, max $max_ms ms" >&2

sum=170
fan=$(ratio "$h99" "$s99")
half=$(ratio "$h50" "$sum")
dead_ratio=$(ratio "$d99" "$h99")
paced_fan=$(ratio "$dp99" "$ps99")
overhead=$(awk -v a="$dp50" -v b="$ps50" 'BEGIN { printf "%.1f", a - b }')
row "P3 dashboard p99 ÷ p99 of the 100 ms stub alone, evenly paced (bench/Paced.java)" "≤ 1.05" "$dp99 vs $ps99 ms at $rate req/s" "$paced_fan" "$(verdict "$paced_fan" '<=' 1.05)"
row "P3 overhead per dashboard at p50, evenly paced: dashboard p50 − stub p50" "≤ 2 ms" "$dp50 − $ps50 ms" "$overhead ms" "$(verdict "$overhead" '<=' 2)"
row "P3 dashboard p99 ÷ p99 of the 100 ms stub alone, hey (its 50 workers fire together)" "≤ 1.05" "$h99 vs $s99 ms at $rate req/s" "$fan" "$(verdict "$fan" '<=' 1.05)"
row "P3 dashboard p50 ÷ sum of delays (170 ms)" "≤ 0.60" "$h50 ms" "$half" "$(verdict "$half" '<=' 0.60)"
row "P3 heap allocated per dashboard (GC log ÷ dashboards; CPU beside it)" "≤ 64 KiB" "$kib KiB, $cpu ms of CPU" "$(ratio "$kib" 64)" "$(verdict "$kib" '<=' 64)"
row "P4 p99 with account dead, breaker open ÷ healthy p99" "≤ 1.05" "$d99 vs $h99 ms" "$dead_ratio" "$(verdict "$dead_ratio" '<=' 1.05)"
row "P4 call rejected by the open breaker (p99)" "≤ 1 ms" "${count%.*} calls: p99 $p99_ms ms, mean $mean_ms ms, max $max_ms ms" "$p99_ms ms" "$(verdict "$p99_ms" '<=' 1)"
