#!/usr/bin/env bash
# P5 split accuracy: 10,000 distinct sticky keys (X-Split-Key) sent over real HTTP through web-bff's strangler
# route at weight 30 (bench/Split.java); the share that landed on the new side must be within ±1 point of 30 %.
# The route is public (auth: none), so no token; the key is not X-User-Id because the BFF drops a client's
# X-User-Id at the boundary (it sets that header itself from a verified token). Loopback only; stops by itself.
#
#   bench/split.sh              # 10,000 keys
#   SMOKE=1 bench/split.sh      # 1,000 keys
source "$(dirname "$0")/lib.sh"
need nginx
backend=9301 bff=9380 weight=30
keys=10000
[ -n "${SMOKE:-}" ] && keys=1000
cat >"$work/routes.yml" <<YAML
routes:
  - id: split
    paths: [/split/**]
    legacy-uri: http://127.0.0.1:$backend/legacy
    new-uri: http://127.0.0.1:$backend/new
    weight: $weight
    sticky:
      header: X-Split-Key
    auth: none
YAML
start_nginx "$backend"
deps=()
for d in user activity account; do deps+=(--gateway.dependencies.instances.$d.base-url=http://127.0.0.1:$backend); done
start_bff web-bff "$bff" --gateway.routes.file="$work/routes.yml" "${deps[@]}"
result=$("$java" "$root/bench/Split.java" "http://127.0.0.1:$bff/split/x" "$keys")
echo "$result" >&2
share=${result##*share=}
off=$(awk -v s="$share" -v w="$weight" 'BEGIN { d = s - w; printf "%.2f", d < 0 ? -d : d }')
row "P5 split accuracy, $keys sticky keys at weight $weight" "± 1 point" "$share % on new" "±$off" "$(verdict "$off" '<=' 1)"
