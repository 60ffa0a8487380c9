# Shared by rollback.sh and rollout.sh (sourced, not run): which project, region and Cloud Run services to act on, and
# what their revisions and traffic are. A Cloud Run function is a Cloud Run service of the same name; its traffic is
# managed through that service (Google's "Traffic splitting" page for Cloud Run functions).
#
# PROJECT, REGION and SERVICES (space separated) come from the environment, or else from `terraform output` of the
# module next to this directory (project_id, region, function_services), so that after `terraform init` the scripts
# need no arguments.

tf_output() {
  (cd "$(dirname "${BASH_SOURCE[0]}")/.." && terraform output "$@")
}

load_target() {
  PROJECT=${PROJECT:-$(tf_output -raw project_id)}
  REGION=${REGION:-$(tf_output -raw region)}
  SERVICES=${SERVICES:-$(tf_output -json function_services | python3 -c 'import json, sys; print(" ".join(sorted(json.load(sys.stdin).values())))')}
  if [ -z "$PROJECT" ] || [ -z "$REGION" ] || [ -z "$SERVICES" ]; then
    echo "PROJECT, REGION and SERVICES are needed (or a terraform state with the outputs project_id, region, function_services)" >&2
    exit 2
  fi
}

# "revision percent" for every revision of service $1 that receives traffic now (status.traffic: where the service
# routes, the "latest" entry resolved to its revision's name).
serving_revisions() {
  gcloud run services describe "$1" --project "$PROJECT" --region "$REGION" --format json | python3 -c '
import json, sys
shares = {}
for t in json.load(sys.stdin).get("status", {}).get("traffic", []):
    if t.get("revisionName") and t.get("percent", 0) > 0:
        shares[t["revisionName"]] = shares.get(t["revisionName"], 0) + t["percent"]
for name, percent in shares.items():
    print(name, percent)'
}

# The Ready revisions of service $1, newest first (creation time, then the name, whose generation number grows).
ready_revisions() {
  gcloud run revisions list --service "$1" --project "$PROJECT" --region "$REGION" --format json | python3 -c '
import json, sys
ready = [r["metadata"] for r in json.load(sys.stdin)
         if any(c.get("type") == "Ready" and c.get("status") == "True" for c in r.get("status", {}).get("conditions", []))]
for m in sorted(ready, key=lambda m: (m.get("creationTimestamp", ""), m["name"]), reverse=True):
    print(m["name"])'
}

# The newest revision of service $1 that Cloud Run created (Ready or not): what the last deployment made.
latest_created_revision() {
  gcloud run services describe "$1" --project "$PROJECT" --region "$REGION" --format 'value(status.latestCreatedRevisionName)'
}

# The revision to go back to: the newest Ready revision older than the newest revision now serving. During a staged
# rollout (new 10 %, old 90 %) that is the one the rollout started from; after a release, the release before it.
previous_revision() {
  local serving newest_serving="" rev found=0
  serving=$(serving_revisions "$1" | cut -d' ' -f1)
  for rev in $(ready_revisions "$1"); do
    if [ "$found" = 1 ]; then
      echo "$rev"
      return 0
    fi
    if printf '%s\n' "$serving" | grep -qx "$rev"; then
      newest_serving=$rev
      found=1
    fi
  done
  echo "$1: no Ready revision older than ${newest_serving:-the serving one} to go back to" >&2
  return 1
}
