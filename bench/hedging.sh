#!/usr/bin/env bash
# P8 hedged reads: the activity dependency answers in 20 ms except every 10th request, which takes 500 ms
# (bench/SlowStub.java; user and account answer in 5 ms). The same load on web-bff without and with hedging
# (activity hedged after a fixed 50 ms: its p95 would be the slow answers themselves); the dashboard's p50 and p99,
# and the extra load hedging puts on the activity service (its requests per dashboard, minus one). Loopback only;
# stops by itself.
#
#   bench/hedging.sh            # median of 3 runs of 10 s each, after a warm-up
#   SMOKE=1 bench/hedging.sh    # seconds: keeps the script working in CI
source "$(dirname "$0")/lib.sh"
need hey curl
stub=9301 bff=9380
rate=${HEDGING_RATE:-100}
slow=500
export HEY_WORKERS=50 # a slow answer holds a worker for 0.5 s; 50 keep up with the rate
user=(-H "Authorization: Bearer $(bench_token)")

# nodelay: the JDK's server writes headers and body apart; with Nagle and delayed ACKs that costs ~40 ms a call
taskset -c "$sut_cpus" "$java" -Dsun.net.httpserver.nodelay=true "$root/bench/SlowStub.java" "$stub" "$slow" &
pids+=($!)
wait_port "$stub" 60
count() { curl -fsS "http://127.0.0.1:$stub/_count"; }

hedging_bff() { # hedge.enabled
  start_bff web-bff "$bff" --gateway.routes.enabled=false \
    --gateway.dependencies.defaults.read-timeout=2s --gateway.dashboard.deadline=3s \
    --gateway.dependencies.instances.user.base-url="http://127.0.0.1:$stub" \
    --gateway.dependencies.instances.activity.base-url="http://127.0.0.1:$stub" \
    --gateway.dependencies.instances.account.base-url="http://127.0.0.1:$stub" \
    --gateway.dependencies.instances.activity.hedge.enabled="$1" \
    --gateway.dependencies.instances.activity.hedge.percentile=0 \
    --gateway.dependencies.instances.activity.hedge.delay=50ms
  curl -fsS "${user[@]}" "http://127.0.0.1:$bff/dashboard" | grep -q '"degraded":\[\]' \
    || { echo "the dashboard is not whole" >&2; return 1; }
}
served() { # dashboards the BFF has served
  curl -fsS "http://127.0.0.1:$bff_management/actuator/metrics/bff.dashboard" \
    | grep -o '"statistic":"COUNT","value":[0-9.Ee+-]*' | sed 's/.*://' | awk '{ printf "%d", $1 }'
}
measure() { # -> "<p50> <p95> <p99> <activity requests per dashboard>"
  local before after p50 p95 p99 d0 d1
  before=$(count) d0=$(served)
  read -r p50 p99 p95 < <(HEY_P95=1 hey_at "$rate" "http://127.0.0.1:$bff/dashboard" "${user[@]}")
  after=$(count) d1=$(served)
  echo "$p50 $p95 $p99 $(awk -v a="$((after - before))" -v d="$((d1 - d0))" 'BEGIN { printf "%.3f", a / d }')"
}
echo "# hedging: hey at $rate req/s, $HEY_WORKERS workers, ${duration}s x $runs (median); every 10th activity answer ${slow} ms" >&2

hedging_bff false
read -r o50 o95 o99 oload < <(measure)
stop_bff
hedging_bff true
read -r h50 h95 h99 hload < <(measure)
won=$(curl -fsS "http://127.0.0.1:$bff_management/actuator/metrics/bff.downstream.hedges?tag=dependency:activity&tag=outcome:won" \
  | grep -o '"value":[0-9.Ee-]*' | head -1 | sed 's/.*://')
stop_bff
echo "without hedging p50/p95/p99 $o50/$o95/$o99 ms (activity requests per dashboard $oload); with hedging $h50/$h95/$h99 ms ($hload; hedges won: ${won:-0})" >&2

# a hedge is itself the slow 10th request one time in ten: 1 dashboard in 100 waits for both, which is the p99
tail_ratio=$(ratio "$h99" "$h50")
p95_ratio=$(ratio "$h95" "$h50")
extra=$(awk -v h="$hload" -v o="$oload" 'BEGIN { printf "%.1f", (h / o - 1) * 100 }')
row "P8 dashboard p99 ÷ p50 with activity hedged (every 10th answer ${slow} ms)" "≤ 1.2" "p99 $h99 vs p50 $h50 ms (without hedging: p99 $o99, p50 $o50 ms) at $rate req/s" "$tail_ratio" "$(verdict "$tail_ratio" '<=' 1.2)"
row "P8 dashboard p95 ÷ p50 with activity hedged" "—" "p95 $h95 vs p50 $h50 ms (without hedging: p95 $o95 ms)" "$p95_ratio" "—"
row "P8 extra load on activity from hedging" "≤ 15 %" "$hload vs $oload requests per dashboard" "+$extra %" "$(verdict "$extra" '<=' 15)"
