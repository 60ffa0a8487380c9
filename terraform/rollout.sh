#!/usr/bin/env bash
# The staged rollout of a release to every ImgStream function (the production half of cloudbuild.yaml):
#
#   rollout.sh pin          before the apply: route 100 % to the revision serving now, by name, and remember it as the
#                           stable one; the apply (all_traffic_on_latest_revision = false) then adds a revision that
#                           serves nothing (Cloud Run keeps a traffic split across deployments)
#   rollout.sh shift P      route P % to the revision the apply created, 100 - P % to the stable one
#   rollout.sh check        wait SOAK_SECONDS, then read the new revisions' 5xx ratio since the shift from Cloud
#                           Monitoring; above MAX_5XX_RATIO: rollback.sh to the stable revisions, and fail
#   rollout.sh finish       route to the latest revision again (Terraform's default), the rollout done
#
# PROJECT, REGION, SERVICES as for rollback.sh; ROLLOUT_STATE (default terraform/.build/rollout-state) keeps, between
# the pipeline's steps, "service stable new shifted_at" per service. SOAK_SECONDS (600), MAX_5XX_RATIO (0.01).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/scripts/revisions.sh"
load_target
state=${ROLLOUT_STATE:-$here/.build/rollout-state}
soak=${SOAK_SECONDS:-600}
max_ratio=${MAX_5XX_RATIO:-0.01}

field() { # field <service> <column 2..4> from the state file
  if [ ! -f "$state" ]; then
    echo "no rollout state in $state: run rollout.sh pin before the apply" >&2
    exit 1
  fi
  awk -v s="$1" -v c="$2" '$1 == s { print $c }' "$state"
}

pin() {
  mkdir -p "$(dirname "$state")"
  : > "$state"
  local service stable
  for service in $SERVICES; do
    # The revision with the largest share now (100 % unless a rollout was left half-way).
    stable=$(serving_revisions "$service" | sort -k2,2nr | head -n 1 | cut -d' ' -f1)
    if [ -z "$stable" ]; then
      echo "$service: no revision serves traffic; nothing to pin" >&2
      exit 1
    fi
    gcloud run services update-traffic "$service" --project "$PROJECT" --region "$REGION" --to-revisions "$stable=100" --quiet
    echo "$service $stable - 0" >> "$state"
    echo "pinned $service: 100 % -> $stable"
  done
}

shift_to() {
  local percent=$1 service stable new now
  now=$(date +%s)
  for service in $SERVICES; do
    stable=$(field "$service" 2)
    new=$(latest_created_revision "$service")
    if [ -z "$stable" ]; then
      echo "$service: not pinned (run rollout.sh pin before the apply)" >&2
      exit 1
    fi
    if [ "$new" = "$stable" ]; then
      echo "$service: the apply created no new revision; it stays on $stable"
      continue
    fi
    if [ "$percent" -ge 100 ]; then
      gcloud run services update-traffic "$service" --project "$PROJECT" --region "$REGION" --to-revisions "$new=100" --quiet
    else
      gcloud run services update-traffic "$service" --project "$PROJECT" --region "$REGION" \
        --to-revisions "$new=$percent,$stable=$((100 - percent))" --quiet
    fi
    awk -v s="$service" -v n="$new" -v t="$now" '$1 == s { $3 = n; $4 = t } { print }' "$state" > "$state.tmp"
    mv "$state.tmp" "$state"
    echo "shifted $service: $percent % -> $new, $((100 - percent)) % -> $stable"
  done
}

# Requests of one revision since a time, by response code class, from Cloud Monitoring (run.googleapis.com/request_count);
# prints "total 5xx".
requests_by_class() {
  local service=$1 revision=$2 since=$3 now window token
  now=$(date +%s)
  window=$(( now - since < 60 ? 60 : now - since ))
  token=$(gcloud auth print-access-token)
  curl -sfG "https://monitoring.googleapis.com/v3/projects/$PROJECT/timeSeries" -H "Authorization: Bearer $token" \
    --data-urlencode "filter=metric.type=\"run.googleapis.com/request_count\" AND resource.type=\"cloud_run_revision\" AND resource.labels.service_name=\"$service\" AND resource.labels.revision_name=\"$revision\"" \
    --data-urlencode "interval.startTime=$(rfc3339 $((now - window)))" \
    --data-urlencode "interval.endTime=$(rfc3339 "$now")" \
    --data-urlencode "aggregation.alignmentPeriod=${window}s" \
    --data-urlencode "aggregation.perSeriesAligner=ALIGN_DELTA" \
    --data-urlencode "aggregation.crossSeriesReducer=REDUCE_SUM" \
    --data-urlencode "aggregation.groupByFields=metric.labels.response_code_class" | python3 -c '
import json, sys
total = errors = 0
for series in json.load(sys.stdin).get("timeSeries", []):
    n = sum(int(p["value"].get("int64Value", 0)) for p in series.get("points", []))
    total += n
    if series.get("metric", {}).get("labels", {}).get("response_code_class") == "5xx":
        errors += n
print(total, errors)'
}

rfc3339() {
  python3 -c 'import datetime, sys; print(datetime.datetime.fromtimestamp(int(sys.argv[1]), datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))' "$1"
}

check() {
  echo "soaking for $soak s (Cloud Run's request metrics appear up to 3 minutes late)"
  sleep "$soak"
  local service new since counts total errors failed="" back=""
  for service in $SERVICES; do
    new=$(field "$service" 3)
    since=$(field "$service" 4)
    if [ "$new" = "-" ] || [ -z "$new" ]; then
      continue
    fi
    counts=$(requests_by_class "$service" "$new" "$since")
    total=${counts% *}
    errors=${counts#* }
    if python3 -c 'import sys; t, e, m = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]); sys.exit(0 if t and e / t > m else 1)' \
        "$total" "$errors" "$max_ratio"; then
      echo "$service: $new answered $errors of $total requests 5xx, above $max_ratio" >&2
      failed="$failed $service"
    else
      echo "$service: $new answered $errors of $total requests 5xx (at most $max_ratio)"
    fi
  done
  if [ -n "$failed" ]; then
    for service in $SERVICES; do
      back="$back $service=$(field "$service" 2)"
    done
    echo "rolling every function back to its stable revision (5xx above $max_ratio:$failed)" >&2
    TO_REVISIONS="$back" "$here/rollback.sh"
    exit 1
  fi
}

finish() {
  local service
  for service in $SERVICES; do
    gcloud run services update-traffic "$service" --project "$PROJECT" --region "$REGION" --to-latest --quiet
    echo "finished $service: 100 % -> latest"
  done
}

case "${1:-}" in
  pin) pin ;;
  shift) shift_to "${2:?rollout.sh shift <percent>}" ;;
  check) check ;;
  finish) finish ;;
  *)
    echo "usage: rollout.sh pin | shift <percent> | check | finish" >&2
    exit 2
    ;;
esac
