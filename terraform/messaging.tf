# Pub/Sub: the cleanup topic (Cloud Scheduler → Pub/Sub → a push subscription → cleanup), the image events topic, and
# a dead-letter topic for cleanup messages that fail dead_letter_max_attempts deliveries. Every piece is a Terraform
# resource: the subscription, its retry and dead-letter policy, and the service agent's grants (no gcloud at apply).

resource "google_pubsub_topic" "cleanup" {
  name   = "${var.name_prefix}-cleanup"
  labels = local.labels

  depends_on = [google_project_service.apis]
}

resource "google_pubsub_topic" "events" {
  name                       = "${var.name_prefix}-events"
  labels                     = local.labels
  message_retention_duration = "604800s"

  depends_on = [google_project_service.apis]
}

resource "google_pubsub_topic" "dead_letter" {
  name   = "${var.name_prefix}-cleanup-dead-letter"
  labels = local.labels

  depends_on = [google_project_service.apis]
}

# Keeps dead-lettered cleanup messages for inspection.
resource "google_pubsub_subscription" "dead_letter" {
  name                       = "${var.name_prefix}-cleanup-dead-letter"
  topic                      = google_pubsub_topic.dead_letter.id
  message_retention_duration = "1209600s"
  labels                     = local.labels
}

# Delivers each scheduled cleanup message to the cleanup function: an authenticated push (an OIDC token of the push
# identity, the only invoker of cleanup), acknowledged by a 2xx answer. A run that fails (5xx, or no answer within the
# ack deadline, which covers cleanup's 540 s timeout) is delivered again with backoff, and after
# dead_letter_max_attempts deliveries forwarded to the dead-letter topic.
resource "google_pubsub_subscription" "cleanup" {
  name                 = "${var.name_prefix}-cleanup"
  topic                = google_pubsub_topic.cleanup.id
  labels               = local.labels
  ack_deadline_seconds = 600

  push_config {
    push_endpoint = google_cloudfunctions2_function.function["cleanup"].service_config[0].uri
    oidc_token {
      service_account_email = google_service_account.cleanup_push.email
      audience              = google_cloudfunctions2_function.function["cleanup"].service_config[0].uri
    }
  }

  retry_policy {
    minimum_backoff = "10s"
    maximum_backoff = "600s"
  }

  dead_letter_policy {
    dead_letter_topic     = google_pubsub_topic.dead_letter.id
    max_delivery_attempts = var.dead_letter_max_attempts
  }

  # Pushes are refused until the push identity may invoke cleanup; dead letters need the service agent's publisher
  # grant (its subscriber grant is on this subscription, below).
  depends_on = [
    google_pubsub_topic_iam_member.dead_letter_publisher,
    google_cloud_run_service_iam_member.cleanup_invoker,
  ]
}

# The Pub/Sub service agent (service-<number>@gcp-sa-pubsub.iam.gserviceaccount.com) exists only once the API has
# created it; asking for its identity makes sure it does before anything is granted to it.
resource "google_project_service_identity" "pubsub" {
  provider = google-beta
  project  = var.project_id
  service  = "pubsub.googleapis.com"

  depends_on = [google_project_service.apis]
}

# The service agent forwards undeliverable messages to the dead-letter topic...
resource "google_pubsub_topic_iam_member" "dead_letter_publisher" {
  topic  = google_pubsub_topic.dead_letter.id
  role   = "roles/pubsub.publisher"
  member = google_project_service_identity.pubsub.member
}

# ...and acknowledges them on the cleanup subscription: granted on that subscription only, not on the project.
resource "google_pubsub_subscription_iam_member" "dead_letter_subscriber" {
  subscription = google_pubsub_subscription.cleanup.id
  role         = "roles/pubsub.subscriber"
  member       = google_project_service_identity.pubsub.member
}

# Projects created before April 2021 need the service agent to mint the push's OIDC token (Token Creator on the push
# identity only; harmless where not needed).
resource "google_service_account_iam_member" "pubsub_signs_push_tokens" {
  service_account_id = google_service_account.cleanup_push.name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = google_project_service_identity.pubsub.member
}
