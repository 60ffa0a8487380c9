#!/usr/bin/env bash
# One command to undo a release: sends 100 % of the traffic of every ImgStream function back to its previous revision
# (the revisions stay deployed, so this takes seconds and rebuilds nothing).
#
#   terraform/rollback.sh                      # after `terraform init`: project, region, functions from the state
#   PROJECT=p REGION=r SERVICES="imgstream-upload imgstream-fetch imgstream-collision-check imgstream-cleanup" \
#     terraform/rollback.sh                    # without a state (the pipeline, another machine)
#   DRY_RUN=1 terraform/rollback.sh            # print what it would do
#   TO_REVISIONS="imgstream-fetch=imgstream-fetch-00041-abc ..." terraform/rollback.sh   # explicit targets
#
# "Previous" is the newest Ready revision older than the newest one now serving (terraform/scripts/revisions.sh).
# Afterwards each service is pinned to that revision by name. A later `terraform apply` with the default
# all_traffic_on_latest_revision = true would send traffic to the newest revision again: release a fix, or apply an
# earlier release (-var release=<version>), rather than re-applying the release rolled back (terraform/README.md).
set -euo pipefail
. "$(dirname "$0")/scripts/revisions.sh"
load_target

# The revision TO_REVISIONS names for service $1, if any.
target_of() {
  local pair
  for pair in ${TO_REVISIONS:-}; do
    if [ "${pair%%=*}" = "$1" ]; then
      echo "${pair#*=}"
      return 0
    fi
  done
}

status=0
for service in $SERVICES; do
  revision=$(target_of "$service")
  if [ -z "$revision" ] && ! revision=$(previous_revision "$service"); then
    status=1
    continue
  fi
  if [ "${DRY_RUN:-0}" = 1 ]; then
    echo "would route $service: 100 % -> $revision"
    continue
  fi
  gcloud run services update-traffic "$service" --project "$PROJECT" --region "$REGION" --to-revisions "$revision=100" --quiet
  echo "rolled back $service: 100 % -> $revision"
done
exit $status
