# One service account per function with only what it uses, the account the functions build as, the identity the
# cleanup subscription pushes with, and who may invoke the HTTP functions. Service accounts and project IAM members
# wait for the APIs they are created through (iam, cloudresourcemanager).

resource "google_service_account" "function" {
  for_each     = local.function_specs
  account_id   = "${var.name_prefix}-${replace(each.key, "_", "-")}"
  display_name = "ImgStream ${each.key} function"

  depends_on = [google_project_service.apis]
}

# The cleanup subscription's push identity: Pub/Sub signs each push with an OIDC token of this account, and only it
# may invoke cleanup (messaging.tf).
resource "google_service_account" "cleanup_push" {
  account_id   = "${var.name_prefix}-cleanup-push"
  display_name = "ImgStream cleanup subscription (Pub/Sub push)"

  depends_on = [google_project_service.apis]
}

# Function builds (Cloud Build) run as this account instead of the project's default build account, which projects
# created since mid-2024 may leave without the permissions to build a function. Its role is the one Google documents
# for a custom build service account of Cloud Run functions: Cloud Build Service Account (roles/cloudbuild.builds.builder:
# read the source archive, write build logs and push the image to Artifact Registry).
resource "google_service_account" "build" {
  account_id   = "${var.name_prefix}-build"
  display_name = "ImgStream function builds (Cloud Build)"

  depends_on = [google_project_service.apis]
}

resource "google_project_iam_member" "build" {
  project = var.project_id
  role    = "roles/cloudbuild.builds.builder"
  member  = "serviceAccount:${google_service_account.build.email}" # after the APIs, through the account
}

# Deploying a function that builds as the account needs actAs on it (iam.serviceAccounts.actAs).
resource "google_service_account_iam_member" "build_act_as" {
  for_each           = toset(var.deployers)
  service_account_id = google_service_account.build.name
  role               = "roles/iam.serviceAccountUser"
  member             = each.value
}

locals {
  # Bucket roles per function. Upload writes objects and deletes the objects of uploads that lose a race
  # (objectUser: create, get, delete; no IAM or bucket changes). Fetch reads. Cleanup lists and deletes.
  bucket_roles = {
    upload          = "roles/storage.objectUser"
    fetch           = "roles/storage.objectViewer"
    collision_check = "roles/storage.objectViewer"
    cleanup         = "roles/storage.objectAdmin"
  }
  # Functions that publish image events (upload after each change, cleanup's outbox relay).
  event_publishers = ["upload", "cleanup"]
}

resource "google_project_iam_member" "cloudsql_client" {
  for_each = local.function_specs
  project  = var.project_id
  role     = "roles/cloudsql.client"
  member   = "serviceAccount:${google_service_account.function[each.key].email}"

  depends_on = [google_project_service.apis]
}

resource "google_project_iam_member" "log_writer" {
  for_each = local.function_specs
  project  = var.project_id
  role     = "roles/logging.logWriter"
  member   = "serviceAccount:${google_service_account.function[each.key].email}"

  depends_on = [google_project_service.apis]
}

resource "google_storage_bucket_iam_member" "images" {
  for_each = local.bucket_roles
  bucket   = google_storage_bucket.images.name
  role     = each.value
  member   = "serviceAccount:${google_service_account.function[each.key].email}"
}

resource "google_pubsub_topic_iam_member" "events_publisher" {
  for_each = toset(local.event_publishers)
  topic    = google_pubsub_topic.events.id
  role     = "roles/pubsub.publisher"
  member   = "serviceAccount:${google_service_account.function[each.key].email}"
}

# V4 signed URLs without a key file: fetch signs through IAM signBlob as itself.
resource "google_service_account_iam_member" "fetch_signs_as_itself" {
  service_account_id = google_service_account.function["fetch"].name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = "serviceAccount:${google_service_account.function["fetch"].email}"
}

# The cleanup subscription pushes as this identity; nobody else may invoke cleanup.
resource "google_cloud_run_service_iam_member" "cleanup_invoker" {
  location = var.region
  service  = google_cloudfunctions2_function.function["cleanup"].service_config[0].service
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.cleanup_push.email}"
}

# Who may call the HTTP functions; API keys are checked by the functions themselves.
locals {
  http_functions     = ["upload", "fetch", "collision_check"]
  http_invoker_pairs = setproduct(local.http_functions, var.http_invokers)
}

resource "google_cloud_run_service_iam_member" "http_invokers" {
  count    = length(local.http_invoker_pairs)
  location = var.region
  service  = google_cloudfunctions2_function.function[local.http_invoker_pairs[count.index][0]].service_config[0].service
  role     = "roles/run.invoker"
  member   = local.http_invoker_pairs[count.index][1]
}
