# Pub/Sub: the cleanup topic (Cloud Scheduler → Eventarc → cleanup), the image events topic, and a
# dead-letter topic for cleanup messages that fail dead_letter_max_attempts times.

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

locals {
  pubsub_service_agent = "serviceAccount:service-${data.google_project.main.number}@gcp-sa-pubsub.iam.gserviceaccount.com"
  # Eventarc creates and owns the trigger's subscription; its dead-letter policy is set after creation.
  cleanup_trigger = google_cloudfunctions2_function.function["cleanup"].event_trigger[0].trigger
}

# The Pub/Sub service agent forwards undeliverable messages to the dead-letter topic...
resource "google_pubsub_topic_iam_member" "dead_letter_publisher" {
  topic  = google_pubsub_topic.dead_letter.id
  role   = "roles/pubsub.publisher"
  member = local.pubsub_service_agent
}

# ...and acknowledges them on the trigger's subscription (granted on the project: Eventarc names it).
resource "google_project_iam_member" "pubsub_agent_subscriber" {
  project = var.project_id
  role    = "roles/pubsub.subscriber"
  member  = local.pubsub_service_agent
}

# Eventarc's subscription is not a Terraform resource; its dead-letter policy is applied with gcloud.
resource "terraform_data" "cleanup_dead_letter" {
  triggers_replace = [local.cleanup_trigger, google_pubsub_topic.dead_letter.id, var.dead_letter_max_attempts]

  provisioner "local-exec" {
    command = "${path.module}/scripts/set-dead-letter.sh"
    environment = {
      PROJECT           = var.project_id
      REGION            = var.region
      TRIGGER           = local.cleanup_trigger
      DEAD_LETTER_TOPIC = google_pubsub_topic.dead_letter.id
      MAX_ATTEMPTS      = tostring(var.dead_letter_max_attempts)
    }
  }

  depends_on = [google_pubsub_topic_iam_member.dead_letter_publisher, google_project_iam_member.pubsub_agent_subscriber]
}
