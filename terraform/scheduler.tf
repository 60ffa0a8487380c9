# Cloud Scheduler publishes the cleanup message on a schedule; Eventarc delivers it to cleanup.

resource "google_cloud_scheduler_job" "cleanup" {
  name        = "${var.name_prefix}-cleanup"
  region      = var.region
  description = "Reconciles image storage and database (ImgStream cleanup)."
  schedule    = var.cleanup_schedule
  time_zone   = var.cleanup_time_zone

  pubsub_target {
    topic_name = google_pubsub_topic.cleanup.id
    data       = base64encode(var.cleanup_message)
  }

  depends_on = [google_project_service.apis]
}
