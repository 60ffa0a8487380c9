# The release pipeline (cloudbuild.yaml), behind enable_ci (default false): created in the production project, it
# builds every push to ci_branch once, deploys it to staging, smoke-tests it, and rolls it out to production after a
# manual approval. Cloud Build gates a whole build on approval (approval_config on a trigger), not a step: the staging
# build therefore ends by starting the production trigger, whose builds wait, pending, until approved.

locals {
  ci_count = var.enable_ci ? 1 : 0

  # What the pipeline's service account deploys: the deployer roles of terraform/README.md (Requirements), plus reading
  # metrics for the rollout's 5xx check and writing its build logs. In the staging and the production project.
  ci_roles = [
    "roles/cloudfunctions.admin",
    "roles/run.admin",
    "roles/iam.serviceAccountAdmin",
    "roles/iam.serviceAccountUser",
    "roles/resourcemanager.projectIamAdmin",
    "roles/cloudsql.admin",
    "roles/storage.admin",
    "roles/pubsub.admin",
    "roles/cloudscheduler.admin",
    "roles/secretmanager.admin",
    "roles/compute.networkAdmin",
    "roles/compute.securityAdmin",
    "roles/servicenetworking.networksAdmin",
    "roles/vpcaccess.admin",
    "roles/serviceusage.serviceUsageAdmin",
    "roles/logging.configWriter",
    "roles/logging.logWriter",
    "roles/monitoring.editor",
  ]
  ci_projects   = var.enable_ci ? distinct([var.project_id, var.ci_staging_project_id]) : []
  ci_role_pairs = setproduct(local.ci_projects, local.ci_roles)

  ci_substitutions = {
    _REGION              = var.region
    _STAGING_PROJECT     = var.ci_staging_project_id
    _PRODUCTION_PROJECT  = var.project_id
    _PRODUCTION_SERVICES = join(" ", values(local.run_services))
    _STATE_BUCKET        = var.ci_state_bucket
    _RELEASES_BUCKET     = "${var.project_id}-${var.name_prefix}-releases"
    _SMOKE_KEY_SECRET    = var.ci_smoke_key_secret
    _PRODUCTION_TRIGGER  = "${var.name_prefix}-release-production"
    _SOAK_SECONDS        = tostring(var.ci_rollout_soak_seconds)
    _MAX_5XX_RATIO       = tostring(var.alert_5xx_ratio)
  }
}

# Every release's archives, by version (releases/<short sha>/<function>.zip), written once by the staging build and
# copied from here into each environment's sources bucket; versioned, so even a deleted release can be restored.
resource "google_storage_bucket" "releases" {
  count                       = local.ci_count
  name                        = local.ci_substitutions._RELEASES_BUCKET
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  labels                      = local.labels

  versioning {
    enabled = true
  }

  dynamic "lifecycle_rule" {
    for_each = var.release_retention_days > 0 ? [1] : []
    content {
      condition {
        age = var.release_retention_days
      }
      action {
        type = "Delete"
      }
    }
  }

  depends_on = [google_project_service.apis]
}

resource "google_service_account" "ci" {
  count        = local.ci_count
  account_id   = "${var.name_prefix}-ci"
  display_name = "ImgStream release pipeline (Cloud Build)"

  depends_on = [google_project_service.apis]
}

resource "google_project_iam_member" "ci" {
  count   = length(local.ci_role_pairs)
  project = local.ci_role_pairs[count.index][0]
  role    = local.ci_role_pairs[count.index][1]
  member  = "serviceAccount:${google_service_account.ci[0].email}"
}

# The staging build starts the production trigger.
resource "google_project_iam_member" "ci_builds" {
  count   = local.ci_count
  project = var.project_id
  role    = "roles/cloudbuild.builds.editor"
  member  = "serviceAccount:${google_service_account.ci[0].email}"
}

# Who may approve a pending production build (gcloud alpha builds approve <id> --location <region>, or the console's
# Cloud Build dashboard).
resource "google_project_iam_member" "ci_approvers" {
  count   = var.enable_ci ? length(var.ci_approvers) : 0
  project = var.project_id
  role    = "roles/cloudbuild.builds.approver"
  member  = var.ci_approvers[count.index]

  depends_on = [google_project_service.apis]
}

resource "google_storage_bucket_iam_member" "ci_state" {
  count  = local.ci_count
  bucket = var.ci_state_bucket
  role   = "roles/storage.objectAdmin"
  member = "serviceAccount:${google_service_account.ci[0].email}"
}

resource "google_cloudbuild_trigger" "staging" {
  count           = local.ci_count
  name            = "${var.name_prefix}-release-staging"
  location        = var.region
  description     = "ImgStream: test, build the release, deploy it to staging and smoke-test it, then ask for production."
  service_account = google_service_account.ci[0].id
  filename        = "cloudbuild.yaml"

  repository_event_config {
    repository = var.ci_repository
    push {
      branch = "^${var.ci_branch}$"
    }
  }

  substitutions = merge(local.ci_substitutions, { _TARGET = "staging" })

  lifecycle {
    precondition {
      condition     = var.ci_repository != "" && var.ci_state_bucket != "" && var.ci_staging_project_id != ""
      error_message = "enable_ci needs ci_repository (a Cloud Build 2nd-gen repository), ci_state_bucket and ci_staging_project_id."
    }
  }

  depends_on = [google_project_service.apis]
}

resource "google_cloudbuild_trigger" "production" {
  count           = local.ci_count
  name            = local.ci_substitutions._PRODUCTION_TRIGGER
  location        = var.region
  description     = "ImgStream: roll a release out to production 10 % -> 50 % -> 100 % (needs an approval)."
  service_account = google_service_account.ci[0].id

  # Started by the staging build with --sha <commit>; the ref is the default when started by hand.
  source_to_build {
    repository = var.ci_repository
    ref        = "refs/heads/${var.ci_branch}"
    repo_type  = var.ci_repo_type
  }

  git_file_source {
    path       = "cloudbuild.yaml"
    repository = var.ci_repository
    revision   = "refs/heads/${var.ci_branch}"
    repo_type  = var.ci_repo_type
  }

  approval_config {
    approval_required = true
  }

  substitutions = merge(local.ci_substitutions, { _TARGET = "production" })

  depends_on = [google_project_service.apis]
}
