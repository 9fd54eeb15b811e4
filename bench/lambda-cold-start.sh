#!/usr/bin/env bash
# Lambda cold start of web-bff's handler, plain JVM vs tuned: JVM launch -> first response to an API Gateway
# v2 event (GET /dashboard), median of N runs each, with the RSS at that moment. Loopback only; stops by itself.
#
#   bench/lambda-cold-start.sh            # 5 runs per variant
#   RUNS=3 bench/lambda-cold-start.sh
#   SMOKE=1 bench/lambda-cold-start.sh    # one run per variant (CI keeps the script working)
#
# Tuned = JDK AOT cache (JEP 483/514, needs JDK 25; trained here on the exact classpath, because a cache is
# silently ignored once a jar changes) + C1 only + SerialGC + Spring AOT (web-bff's process-aot output for
# the lambda profile, on with -Dspring.aot.enabled=true). The package is the one Maven builds for Lambda
# (web-bff/target/web-bff-lambda.zip), its root classes put in a jar because an AOT cache covers jar files only.
# The event carries a bearer token (bench/Token.java) the app verifies against the bench's public key, so the first
# response is a served dashboard (200, every dependency called), as before the BFF required a verified caller.
source "$(dirname "$0")/lib.sh" # root, java, a work folder removed on exit, median, ratio, verdict, row
cd "$root"
runs=${RUNS:-5}
[ -n "${SMOKE:-}" ] && runs=1
handler=dev.bffgateway.web.WebBffLambdaHandler

[ -f web-bff/target/web-bff-lambda.zip ] || JAVA_HOME=$JAVA_HOME ./mvnw -q -pl web-bff -am -DskipTests package
mkdir -p "$work/task" "$work/bench"
unzip -q web-bff/target/web-bff-lambda.zip -d "$work/task"
(cd "$work/task" && "$JAVA_HOME/bin/jar" --create --file "$work/web-bff.jar" $(ls | grep -v '^lib$'))
"$JAVA_HOME/bin/javac" -d "$work/bench" -cp "$work/task/lib/*" bench/ColdStart.java
"$JAVA_HOME/bin/jar" --create --file "$work/bench.jar" -C "$work/bench" .
cp="$work/web-bff.jar:$(ls "$work"/task/lib/*.jar | sort | tr '\n' ':')$work/bench.jar"
# the JWT settings every BFF needs (deploy/template.yaml gives the functions these variables), with the bench's key
export GATEWAY_SECURITY_JWT_ISSUER=$jwt_issuer GATEWAY_SECURITY_JWT_AUDIENCES=$jwt_audience
export GATEWAY_SECURITY_JWT_PUBLICKEYLOCATION="file:$work/jwt-public.pem"
event="$work/dashboard-v2-event.json"
sed "s/BENCH_TOKEN/$(bench_token)/" "$root/bench/dashboard-v2-event.json" >"$event"

failed() { # message log: the message, the exception and its root cause, then exit 1
  echo "$1" >&2
  grep -E '^(Exception in|[A-Za-z0-9_.$]+(Exception|Error)\b)' "$2" | sed -n 1p >&2 || true
  grep '^Caused by' "$2" | tail -2 >&2 || true
  exit 1
}
once() { # flags... -> "<ms> <rss-kb>"
  local start out
  start=$(date +%s%3N)
  out=$(cd "$work" && timeout 120 "$java" "$@" -cp "$cp" ColdStart "$handler" "$event" >"$work/run.log" 2>&1; grep '^COLDSTART' "$work/run.log" || true)
  [ -n "${VERBOSE:-}" ] && echo "  $* :: ${out#COLDSTART }" >&2
  [ -n "$out" ] || failed "run failed: $*" "$work/run.log"
  case "$out" in *"status=200"*) ;; *) echo "unexpected response: $out" >&2; exit 1 ;; esac
  local done rss
  done=$(sed -E 's/.*done-epoch-ms=([0-9]+).*/\1/' <<<"$out")
  rss=$(sed -E 's/.*rss-kb=([0-9]+).*/\1/' <<<"$out")
  echo "$((done - start)) $rss"
}


echo "JDK: $("$java" -version 2>&1 | head -1); runs per variant: $runs; $(nproc) cores" >&2
tuning=(-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData -Dspring.aot.enabled=true)
# train the AOT cache: one run of the same path with the same flags, recorded (JDK 25 one-step training)
(cd "$work" && timeout 180 "$java" -XX:AOTCacheOutput="$work/app.aot" "${tuning[@]}" -cp "$cp" ColdStart "$handler" "$event" \
  >"$work/training.log" 2>&1) || failed "AOT cache training run failed:" "$work/training.log"
[ -s "$work/app.aot" ] || { echo "AOT cache training produced nothing" >&2; exit 1; }

names=("plain (JVM defaults)" "C1 only" "Spring AOT only" "tuned: AOT cache + C1 + Spring AOT + SerialGC")
flags=("" "-XX:TieredStopAtLevel=1" "-Dspring.aot.enabled=true" "-XX:AOTCache=$work/app.aot ${tuning[*]}")
declare -A times rss
# variants interleaved run by run, so drift in this machine's speed hits them all alike
for _ in $(seq "$runs"); do
  for i in "${!names[@]}"; do
    read -r ms kb < <(once ${flags[$i]})
    times[$i]="${times[$i]:-} $ms"; rss[$i]="${rss[$i]:-} $kb"
  done
done
declare -a medians
for i in "${!names[@]}"; do
  medians[$i]=$(tr ' ' '\n' <<<"${times[$i]}" | grep . | median)
  r=$(tr ' ' '\n' <<<"${rss[$i]}" | grep . | median)
  printf '%-48s median %5s ms   RSS %4s MiB   runs:%s\n' "${names[$i]}" "${medians[$i]}" "$((r / 1024))" "${times[$i]}" >&2
done
# warm invocations on the Lambda edge: the same event handed to the warm handler (bench/ColdStart.java), plain
# flags and tuned, the overhead being the invocation less its longest dependency call
warm=${WARM:-4000}
[ -n "${SMOKE:-}" ] && warm=200
declare -A warm_out
for i in 0 3; do
  (cd "$work" && timeout 300 "$java" ${flags[$i]} -cp "$cp" ColdStart "$handler" "$event" "$warm" >"$work/warm.log" 2>&1) ||
    failed "warm run failed: ${names[$i]}" "$work/warm.log"
  warm_out[$i]=$(grep '^WARM' "$work/warm.log" | sed 's/^WARM //')
  [ -n "${warm_out[$i]}" ] || failed "warm run printed nothing: ${names[$i]}" "$work/warm.log"
  echo "warm, ${names[$i]}: ${warm_out[$i]}" >&2
done
field() { sed -E "s/(.* |^)$1=([0-9.]+).*/\2/" <<<"$2"; } # "k=v k=v ...": the value of exactly that name
ratio=$(ratio "${medians[3]}" "${medians[0]}")
echo "ratio tuned/plain: $ratio" >&2
row "P6 Lambda cold start, tuned ÷ plain (median of $runs)" "≤ 0.25" "${medians[3]} vs ${medians[0]} ms" "$ratio" \
  "$(verdict "$ratio" '<=' 0.25)"
row "P6 Lambda warm invocation overhead, p50 / p99 (event in, response out, less the longest dependency call)" "—" \
  "tuned $(field overhead-p50-ms "${warm_out[3]}") / $(field overhead-p99-ms "${warm_out[3]}") ms; plain $(field overhead-p50-ms "${warm_out[0]}") / $(field overhead-p99-ms "${warm_out[0]}") ms (invocation p50 tuned $(field p50-ms "${warm_out[3]}"), plain $(field p50-ms "${warm_out[0]}") ms; $((warm / 2)) measured after $((warm / 2)))" \
  "$(field overhead-p50-ms "${warm_out[3]}") ms" "—"
