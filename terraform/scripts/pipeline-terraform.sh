#!/usr/bin/env bash
# Terraform for one environment in the release pipeline (cloudbuild.yaml):
#
#   pipeline-terraform.sh plan <staging|production>    init the environment's state, publish the release's archives
#                                                       into its sources bucket, plan into .build/<env>.tfplan
#   pipeline-terraform.sh apply <staging|production>   apply that plan
#
# PROJECT (the environment's project), STATE_BUCKET, RELEASES_BUCKET, RELEASE (the version: the commit's short SHA),
# TFVARS (relative to terraform/), and for production TRAFFIC_ON_LATEST=false (new revisions start without traffic;
# rollout.sh moves it). The state lives in gs://$STATE_BUCKET/imgstream/<env>; the backend block is written here, so
# that a hand `terraform init` keeps its local state.
set -euo pipefail
cd "$(dirname "$0")/.."
action=${1:?plan or apply}
env=${2:?staging or production}
plan=".build/$env.tfplan"

printf 'terraform {\n  backend "gcs" {}\n}\n' > ci_backend.tf
terraform init -input=false -reconfigure -backend-config="bucket=$STATE_BUCKET" -backend-config="prefix=imgstream/$env"

case "$action" in
  plan)
    # The release's archives, as the pipeline built them once, copied (never overwritten) next to the environment's
    # functions: Cloud Functions builds from its own project's bucket. Before the first apply with this module's outputs
    # the bucket's name is derived the way functions.tf names it.
    prefix=$(sed -n 's/^name_prefix *= *"\(.*\)"/\1/p' "$TFVARS")
    bucket=$(terraform output -raw sources_bucket 2>/dev/null || echo "$PROJECT-${prefix:-imgstream}-sources")
    gcloud storage cp --no-clobber "gs://$RELEASES_BUCKET/releases/$RELEASE/*.zip" "gs://$bucket/releases/$RELEASE/"
    mkdir -p .build
    terraform plan -input=false -var-file="$TFVARS" -var "project_id=$PROJECT" -var "release=$RELEASE" \
      -var "all_traffic_on_latest_revision=${TRAFFIC_ON_LATEST:-true}" -out="$plan"
    ;;
  apply)
    terraform apply -input=false "$plan"
    ;;
  *)
    echo "usage: pipeline-terraform.sh plan|apply staging|production" >&2
    exit 2
    ;;
esac
