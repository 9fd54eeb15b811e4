# Shared by the bench/*.sh scripts (sourced, not run). Loopback only; everything started here is stopped on exit.
#
# Environment:
#   SMOKE=1        seconds instead of minutes: one short run per measure, so CI keeps the scripts working
#   RUNS=n         runs per measure (median reported), default 3
#   DURATION=s     seconds per load run, default 10
#   JFR=1          record a JFR of the BFF under load into bench/out/ and print its top frames
#   BFF_JAVA_OPTS= extra JVM flags for the BFF after the Dockerfile's, e.g. "-XX:-UseSerialGC -XX:+UseG1GC"
#   PIN=1          load generator on core 0, everything under test on the others (see below)
#   BFF_ARGS=...   extra arguments for the BFF, e.g. the proxy's HTTP client before this suite's fixes:
#                  BFF_ARGS=--spring.http.clients.imperative.factory=jdk bench/proxy.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
java="$JAVA_HOME/bin/java"
runs=${RUNS:-3}
duration=${DURATION:-10}
warmup=${WARMUP:-5}
if [ -n "${SMOKE:-}" ]; then runs=1; duration=2; warmup=1; fi
out="$root/bench/out"
mkdir -p "$out"
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]:-}"; do [ -n "$p" ] && wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# CPU placement. By default nothing is pinned: load generator, servers and backends share the machine's cores, as
# the calibration figures were taken. PIN=1 gives the load generator core 0 and everything under test the rest;
# measured here, that starves a JVM confined to one core (its JIT and GC share the core with the carrier
# thread: 4.3k req/s pinned vs 10k unpinned on the proxy route) far more than it does nginx.
cores=$(nproc)
load_cpus=0-$((cores - 1))
sut_cpus=$load_cpus
if [ -n "${PIN:-}" ] && [ "$cores" -ge 2 ]; then load_cpus=0; sut_cpus=1-$((cores - 1)); fi
pin() { taskset -c "$1" "${@:2}"; } # foreground only: started in the background, a function's $! is not the server's pid

need() {
  local missing=()
  for tool in "$@"; do command -v "$tool" >/dev/null || missing+=("$tool"); done
  [ ${#missing[@]} -eq 0 ] || { echo "missing tools: ${missing[*]} (apt-get install nginx-light wrk hey)" >&2; exit 1; }
}

wait_port() { # port [seconds] [pid that must stay alive]
  local deadline=$(($(date +%s) + ${2:-60}))
  until (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; do
    [ "$(date +%s)" -lt "$deadline" ] || { echo "nothing listens on 127.0.0.1:$1" >&2; return 1; }
    [ -z "${3:-}" ] || kill -0 "$3" 2>/dev/null || { echo "process $3 exited before listening on $1" >&2; return 1; }
    sleep 0.2
  done
}

# nginx with a generated config: backend on $1 (return 200 with a fixed JSON body) and, when $2 is given,
# a proxy_pass on $2 to that backend with a keep-alive upstream pool.
start_nginx() { # backend-port [proxy-port]
  local dir="$work/nginx-$1"
  mkdir -p "$dir/logs"
  cat >"$dir/nginx.conf" <<EOF
worker_processes auto;
daemon off;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $dir/body;
  proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi;
  scgi_temp_path $dir/scgi;
  keepalive_requests 1000000;
  upstream backend { server 127.0.0.1:$1; keepalive 64; }
  server {
    listen 127.0.0.1:$1;
    default_type application/json;
    location / { return 200 '{"id":"42","name":"Ada","items":[1,2,3],"ok":true}'; }
  }
EOF
  if [ -n "${2:-}" ]; then
    cat >>"$dir/nginx.conf" <<EOF
  server {
    listen 127.0.0.1:$2;
    location / { proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
EOF
  fi
  echo "}" >>"$dir/nginx.conf"
  taskset -c "$sut_cpus" nginx -p "$dir" -c "$dir/nginx.conf" &
  pids+=($!)
  wait_port "$1"
  [ -z "${2:-}" ] || wait_port "$2"
}

# The dependencies' stub: nginx with the echo module answering the dashboard contract's three resources after a
# delay, /d<ms>/users/{id}, /d<ms>/users/{id}/activity, /d<ms>/accounts/{id}, for each <ms> given. nginx's timers
# keep the delay exact under load (a JDK HttpServer stub added 5 ms at p50 and 30 ms at p99 at 600 req/s here).
start_delay_stub() { # port delay-ms...
  local dir="$work/stub-$1"
  mkdir -p "$dir/logs"
  {
    echo "load_module /usr/lib/nginx/modules/ngx_http_echo_module.so;"
    echo "worker_processes auto; daemon off; pid $dir/nginx.pid; error_log $dir/logs/error.log warn;"
    echo "events { worker_connections 4096; }"
    echo "http { access_log off; client_body_temp_path $dir/body; keepalive_requests 1000000; default_type application/json;"
    echo "  server { listen 127.0.0.1:$1;"
    for ms in "${@:2}"; do
      local s
      s=$(awk -v ms="$ms" 'BEGIN { printf "%.3f", ms / 1000 }')
      echo "    location ~ ^/d$ms/users/(?<id>[^/]+)/activity\$ { echo_sleep $s; echo -n '{\"userId\":\"\$id\",\"items\":[{\"id\":\"a1\",\"type\":\"login\",\"at\":\"2026-11-25T08:12:00Z\"},{\"id\":\"a2\",\"type\":\"purchase\",\"at\":\"2026-11-25T18:04:00Z\"}]}'; }"
      echo "    location ~ ^/d$ms/users/(?<id>[^/]+)\$ { echo_sleep $s; echo -n '{\"id\":\"\$id\",\"name\":\"Ada Lovelace\",\"email\":\"ada@example.com\",\"tier\":\"gold\"}'; }"
      echo "    location ~ ^/d$ms/accounts/(?<id>[^/]+)\$ { echo_sleep $s; echo -n '{\"id\":\"\$id\",\"status\":\"active\",\"balance\":{\"amount\":\"12.50\",\"currency\":\"EUR\"},\"iban\":\"DE89370400440532013000\"}'; }"
    done
    echo "  }"
    echo "}"
  } >"$dir/nginx.conf"
  taskset -c "$sut_cpus" nginx -p "$dir" -c "$dir/nginx.conf" &
  pids+=($!)
  wait_port "$1"
}

# The BFF as the container runs it: the JVM flags of the Dockerfile's ENTRYPOINT and its MALLOC_ARENA_MAX, in a
# 512 MiB container's memory budget (MaxRAM stands in for the cgroup limit the JVM would read).
bff_jar() { # module
  local jar
  jar=$(ls "$root/$1"/target/"$1"-*-exec.jar 2>/dev/null | head -1 || true)
  if [ -z "$jar" ]; then
    (cd "$root" && ./mvnw -q -pl "$1" -am -DskipTests package >&2)
    jar=$(ls "$root/$1"/target/"$1"-*-exec.jar | head -1)
  fi
  echo "$jar"
}
read -r -a bff_flags < <(sed -n 's/^ENTRYPOINT \["java", \(.*\), "-jar".*/\1/p' "$root/Dockerfile" | tr -d '",')
[ ${#bff_flags[@]} -gt 0 ] || { echo "no JVM flags found in the Dockerfile's ENTRYPOINT" >&2; exit 1; }
bff_flags=(-XX:MaxRAM=512m "${bff_flags[@]}")
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-$(sed -n 's/.*MALLOC_ARENA_MAX=\([0-9]*\).*/\1/p' "$root/Dockerfile")}
# The bench's identity provider (bench/Token.java): one RSA key pair per run, its public key in
# $work/jwt-public.pem, and a token for user u-42 with dashboard:read (two hours). Every BFF started here accepts
# exactly that issuer, audience and key; send the token as "Authorization: Bearer $(bench_token)".
jwt_issuer=https://bench.bff.example jwt_audience=bff-bench
bench_token() {
  [ -s "$work/jwt-token" ] || "$java" "$root/bench/Token.java" "$work" >"$work/jwt-token"
  cat "$work/jwt-token"
}
jwt_args() {
  bench_token >/dev/null
  echo "--gateway.security.jwt.issuer=$jwt_issuer --gateway.security.jwt.audiences=$jwt_audience" \
    "--gateway.security.jwt.public-key-location=file:$work/jwt-public.pem"
}

# start_bff sets bff_pid, and bff_management: the BFF's management port (actuator: health, metrics, prometheus,
# strangler), never served on the public port. It is the public port + 10 (9180 -> 9190), and must be free.
bff_pid= bff_management=
start_bff() { # module port args...
  local jar
  jar=$(bff_jar "$1")
  local jfr=()
  [ -n "${JFR:-}" ] && jfr=(-XX:StartFlightRecording=filename="$out/$1-$2.jfr",settings=profile,dumponexit=true)
  bff_management=$(($2 + 10))
  local p
  for p in "$2" "$bff_management"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "127.0.0.1:$p is taken; the BFF needs it" >&2; return 1; fi
  done
  local jwt
  read -r -a jwt < <(jwt_args)
  taskset -c "$sut_cpus" "$java" "${bff_flags[@]}" ${BFF_JAVA_OPTS:-} "${jfr[@]}" -Xlog:gc:file="$(gc_log "$2")" \
    -jar "$jar" --server.port="$2" \
    --management.server.port="$bff_management" "${jwt[@]}" \
    --logging.level.root=WARN "${@:3}" ${BFF_ARGS:-} >"$work/bff-$2.log" 2>&1 &
  bff_pid=$!
  pids+=("$bff_pid")
  wait_port "$2" 120 "$bff_pid" || { tail -40 "$work/bff-$2.log" >&2; return 1; }
  wait_port "$bff_management" 30 "$bff_pid" || { tail -40 "$work/bff-$2.log" >&2; return 1; }
}
stop_bff() {
  kill "$bff_pid" 2>/dev/null || true
  wait "$bff_pid" 2>/dev/null || true
}
# The peers (bench/peers/<name>, built with -Pbench): Spring Cloud Gateway WebFlux and Server MVC as their starters
# come, one route from application.properties (/bench/** to 127.0.0.1:$BACKEND_PORT), run exactly as the BFF is:
# its JVM flags, budget, MALLOC_ARENA_MAX, BFF_JAVA_OPTS, CPU placement and WARN logging. Both jars are built here
# when either is missing.
peer_names=(scg-webflux scg-mvc)
peer_jar() { # name
  local jar
  jar=$(ls "$root/bench/peers/$1"/target/"$1"-*-exec.jar 2>/dev/null | head -1 || true)
  if [ -z "$jar" ]; then
    (cd "$root" && JAVA_HOME=$JAVA_HOME ./mvnw -q -Pbench -pl "$(printf 'bench/peers/%s,' "${peer_names[@]}")" -am \
      -DskipTests package >&2)
    jar=$(ls "$root/bench/peers/$1"/target/"$1"-*-exec.jar | head -1)
  fi
  echo "$jar"
}
# launch_peer starts a peer without waiting for it (wait_port "$port" 120 "$peer_pid" does) and sets peer_pid
peer_pid=
launch_peer() { # name port backend-port
  local jar
  jar=$(peer_jar "$1")
  if (exec 3<>"/dev/tcp/127.0.0.1/$2") 2>/dev/null; then echo "127.0.0.1:$2 is taken; $1 needs it" >&2; return 1; fi
  BACKEND_PORT=$3 taskset -c "$sut_cpus" "$java" "${bff_flags[@]}" ${BFF_JAVA_OPTS:-} -Xlog:gc:file="$(gc_log "$2")" \
    -jar "$jar" --server.port="$2" \
    --server.address=127.0.0.1 --logging.level.root=WARN >"$work/$1-$2.log" 2>&1 &
  peer_pid=$!
  pids+=("$peer_pid")
}

# Heap allocation, from the GC log every JVM started here writes (-Xlog:gc, one line per collection): the MiB
# allocated so far is the sum over young collections of (heap before it - heap after the one before). Divided by
# the requests served in between, it is the allocation per request the issue asks for ("-Xlog:gc bytes ÷
# requests"); MiB granularity per collection, so meaningful over many collections (a 10 s round makes dozens).
gc_log() { echo "$work/gc-$1.log"; } # port
gc_allocated_mib() { # port
  local log
  log=$(gc_log "$1")
  [ -f "$log" ] || { echo 0; return; }
  grep -o 'Pause Young.* [0-9]*M->[0-9]*M' "$log" | sed 's/.* \([0-9]*\)M->\([0-9]*\)M/\1 \2/' |
    awk '{ if (NR > 1) s += $1 - prev; prev = $2 } END { printf "%d\n", s }'
}
port_of() { sed -E 's|^[a-z]+://[^:/]+:([0-9]+).*|\1|' <<<"$1"; } # url

# The one route the proxy measures load (bench/proxy.sh, bench/compare.sh): /bench/** to the backend on either
# side, all on legacy, public (auth: none) as nginx's location is. Writes $work/routes.yml.
write_bench_routes() { # backend-port
  cat >"$work/routes.yml" <<EOF
routes:
  - id: bench
    paths: [/bench/**]
    legacy-uri: http://127.0.0.1:$1
    new-uri: http://127.0.0.1:$1
    weight: 0
    auth: none
EOF
}

rss_mib() { awk '/VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$1/status"; }
hwm_mib() { awk '/VmHWM/ { printf "%d", $2 / 1024 }' "/proc/$1/status"; }

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# wrk at fixed concurrency: prints the median req/s over $runs runs (after one warm-up run)
wrk_rps() { # url [connections] [extra wrk args...]
  local url=$1 c=${2:-32}
  pin "$load_cpus" wrk -t1 -c"$c" -d"${warmup}s" "${@:3}" "$url" >/dev/null
  for _ in $(seq "$runs"); do
    local report
    report=$(pin "$load_cpus" wrk -t1 -c"$c" -d"${duration}s" "${@:3}" "$url")
    if grep -q 'Non-2xx\|Socket errors' <<<"$report"; then echo "wrk: errors from $url:" >&2; echo "$report" >&2; return 1; fi
    awk '/Requests\/sec/ { print $2 }' <<<"$report"
  done | median
}

# hey at a fixed rate: prints "<p50 ms> <p99 ms>" (medians over $runs runs, after a warm-up), and " <p95 ms>" after
# them when HEY_P95=1
hey_at() { # rate url [hey args...]; HEY_WORKERS (default 20) workers share the rate
  local rate=$1 url=$2 workers=${HEY_WORKERS:-20}
  local per=$((rate / workers))
  pin "$load_cpus" hey -z "${warmup}s" -c "$workers" -q "$per" "${@:3}" "$url" >/dev/null
  local p50s=() p99s=() p95s=()
  for _ in $(seq "$runs"); do
    local report
    report=$(pin "$load_cpus" hey -z "${duration}s" -c "$workers" -q "$per" "${@:3}" "$url")
    grep -q '\[200\]' <<<"$report" || { echo "hey: no 200s from $url" >&2; echo "$report" >&2; return 1; }
    if grep -E '^\s+\[[0-9]+\]' <<<"$report" | grep -vq '\[200\]'; then
      echo "hey: non-200 answers from $url:" >&2; grep -E '^\s+\[[0-9]+\]' <<<"$report" >&2; return 1
    fi
    p50s+=("$(awk '/ 50% in/ { printf "%.3f", $3 * 1000 }' <<<"$report")")
    p99s+=("$(awk '/ 99% in/ { printf "%.3f", $3 * 1000 }' <<<"$report")")
    p95s+=("$(awk '/ 95% in/ { printf "%.3f", $3 * 1000 }' <<<"$report")")
  done
  if [ -n "${HEY_P95:-}" ]; then
    echo "$(printf '%s\n' "${p50s[@]}" | median) $(printf '%s\n' "${p99s[@]}" | median) $(printf '%s\n' "${p95s[@]}" | median)"
  else
    echo "$(printf '%s\n' "${p50s[@]}" | median) $(printf '%s\n' "${p99s[@]}" | median)"
  fi
}

# Interleaved: every target is warmed once, then each of $runs rounds loads every target in turn, so slow drift of
# the machine (other tenants, thermal) lands on all of them alike. Arguments are name url pairs; prints one line
# per target: "name <median>" (wrk_interleaved: req/s) or "name <p50 ms> <p99 ms>" (hey_interleaved: medians).
wrk_once() { # seconds connections url -> "<req/s> <KiB allocated per request, or - where the server is no JVM of ours>"
  local report port before after
  port=$(port_of "$3")
  before=$(gc_allocated_mib "$port")
  report=$(pin "$load_cpus" wrk -t1 -c"$2" -d"$1s" "$3")
  after=$(gc_allocated_mib "$port")
  if grep -q 'Non-2xx\|Socket errors' <<<"$report"; then echo "wrk: errors from $3:" >&2; echo "$report" >&2; return 1; fi
  awk -v mib="$((after - before))" -v gclog="$(gc_log "$port")" \
    '/requests in/ { n = $1 } /Requests\/sec/ { r = $2 } END {
       if (system("test -f " gclog) == 0 && n > 0) printf "%s %.1f\n", r, mib * 1024 / n; else printf "%s -\n", r }' <<<"$report"
}
wrk_interleaved() { # connections name url [name url...]
  local c=$1 i r v
  shift
  local -a args=("$@") lines=()
  for ((i = 0; i < ${#args[@]}; i += 2)); do wrk_once "$warmup" "$c" "${args[i + 1]}" >/dev/null; done
  for ((r = 0; r < runs; r++)); do
    for ((i = 0; i < ${#args[@]}; i += 2)); do
      v=$(wrk_once "$duration" "$c" "${args[i + 1]}") # a failed run stops the script (set -e), not in an array append
      lines+=("${args[i]} $v")
    done
  done
  for ((i = 0; i < ${#args[@]}; i += 2)); do # name, median req/s, median KiB per request (or -)
    local kib
    kib=$(printf '%s\n' "${lines[@]}" | awk -v n="${args[i]}" '$1 == n && $3 != "-" { print $3 }' | median)
    echo "${args[i]} $(printf '%s\n' "${lines[@]}" | awk -v n="${args[i]}" '$1 == n { print $2 }' | median) ${kib:--}"
  done
}
hey_once() { # seconds rate url [hey args...] -> "<p50 ms> <p99 ms>"
  local workers=${HEY_WORKERS:-20} report
  report=$(pin "$load_cpus" hey -z "$1s" -c "$workers" -q "$(($2 / workers))" "${@:4}" "$3")
  grep -q '\[200\]' <<<"$report" || { echo "hey: no 200s from $3" >&2; echo "$report" >&2; return 1; }
  if grep -E '^\s+\[[0-9]+\]' <<<"$report" | grep -vq '\[200\]'; then
    echo "hey: non-200 answers from $3:" >&2; grep -E '^\s+\[[0-9]+\]' <<<"$report" >&2; return 1
  fi
  awk '/ 50% in/ { p50 = $3 * 1000 } / 99% in/ { p99 = $3 * 1000 } /\[200\]/ { n = $2 } END { printf "%.3f %.3f %d\n", p50, p99, n }' <<<"$report" |
    { read -r a b n; echo "$a $b"; [ -z "${hey_served:-}" ] || echo "$n" >"$hey_served"; }
}
# What one request costs a JVM of ours: hey_once at a fixed rate while the JVM's CPU time and heap allocation (its
# GC log) are read before and after. CPU is the process's user + system time (/proc/<pid>/stat) less its JIT
# compiler threads' (/proc/<pid>/task/*/stat): a JVM keeps compiling for minutes under load, and that CPU is the
# warm-up's, not the request's. Prints "<p50 ms> <p99 ms> <CPU ms per request> <KiB per request>".
cpu_ticks() { # pid -> ticks of the process but its JIT compiler threads
  local all jit
  all=$(awk '{ print $14 + $15 }' "/proc/$1/stat")
  jit=$(cat /proc/"$1"/task/*/stat 2>/dev/null | awk '/CompilerThre/ { sub(/.*\) /, ""); s += $12 + $13 } END { print s + 0 }')
  echo $((all - jit))
}
hey_costed() { # pid port seconds rate url [hey args...]
  local ticks0 ticks1 mib0 mib1 lat n hz
  hz=$(getconf CLK_TCK)
  hey_served="$work/served"
  ticks0=$(cpu_ticks "$1") mib0=$(gc_allocated_mib "$2")
  lat=$(hey_once "$3" "$4" "$5" "${@:6}")
  ticks1=$(cpu_ticks "$1") mib1=$(gc_allocated_mib "$2")
  n=$(cat "$hey_served") hey_served=
  awk -v lat="$lat" -v t=$((ticks1 - ticks0)) -v hz="$hz" -v m=$((mib1 - mib0)) -v n="$n" \
    'BEGIN { printf "%s %.2f %.1f\n", lat, t * 1000 / hz / n, m * 1024 / n }'
}
# An open-model load, evenly paced (bench/Paced.java): request i due at start + i/rate, latency from when it was
# due; prints "<p50 ms> <p99 ms>", medians over $runs runs after a warm-up; any non-2xx or failure stops the script.
paced_at() { # rate url ["Header: value"...]
  local p50s=() p99s=() out
  pin "$load_cpus" "$java" "$root/bench/Paced.java" "$2" "$1" "$warmup" 64 "${@:3}" >/dev/null ||
    { echo "paced: failed requests to $2" >&2; return 1; }
  for _ in $(seq "$runs"); do
    out=$(pin "$load_cpus" "$java" "$root/bench/Paced.java" "$2" "$1" "$duration" 64 "${@:3}") ||
      { echo "paced: failed requests to $2: $out" >&2; return 1; }
    read -r a b _ <<<"$out"
    p50s+=("$a") p99s+=("$b")
  done
  echo "$(printf '%s\n' "${p50s[@]}" | median) $(printf '%s\n' "${p99s[@]}" | median)"
}
hey_interleaved() { # rate name url [name url...]
  local rate=$1 i r v
  shift
  local -a args=("$@") lines=()
  for ((i = 0; i < ${#args[@]}; i += 2)); do hey_once "$warmup" "$rate" "${args[i + 1]}" >/dev/null; done
  for ((r = 0; r < runs; r++)); do
    for ((i = 0; i < ${#args[@]}; i += 2)); do
      v=$(hey_once "$duration" "$rate" "${args[i + 1]}")
      lines+=("${args[i]} $v")
    done
  done
  for ((i = 0; i < ${#args[@]}; i += 2)); do
    local sel
    sel=$(printf '%s\n' "${lines[@]}" | awk -v n="${args[i]}" '$1 == n')
    echo "${args[i]} $(awk '{ print $2 }' <<<"$sel" | median) $(awk '{ print $3 }' <<<"$sel" | median)"
  done
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
# verdict value op goal -> "met" / "MISSED"
verdict() { awk -v v="$1" -v g="$3" -v op="$2" 'BEGIN { ok = (op == "<=") ? v <= g : v >= g; print ok ? "met" : "MISSED" }'; }
# one row of docs/benchmarks.md's table: measure | goal | result | ratio | verdict | date | command
bench_cmd="bench/$(basename "$0")"
row() { printf '| %s | %s | %s | %s | %s | %s | `%s` |\n' "$@" "$(date +%F)" "$bench_cmd"; }
