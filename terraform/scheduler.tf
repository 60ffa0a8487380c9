# Cloud Scheduler publishes the cleanup message on a schedule; the cleanup subscription pushes it to cleanup.

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

# Log-based metrics on the structured summary every cleanup run logs (jsonPayload.cleanup): alert on them to learn that
# runs stop at their budget with work left (a backlog grows) or keep finding orphaned objects (uploads crash between
# writing the object and committing its row). Real runs only: a dry run reports what it would do.
locals {
  cleanup_log_filter = join(" AND ", [
    "resource.type=\"cloud_run_revision\"",
    "resource.labels.service_name=\"${google_cloudfunctions2_function.function["cleanup"].name}\"",
    "jsonPayload.cleanup.dryRun=false",
  ])
}

resource "google_logging_metric" "cleanup_incomplete" {
  name        = "${var.name_prefix}/cleanup_incomplete"
  description = "Cleanup runs that stopped at their time budget or item cap with work left."
  filter      = "${local.cleanup_log_filter} AND jsonPayload.cleanup.completed=false"

  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "INT64"
    unit        = "1"
  }

  depends_on = [google_project_service.apis]
}

resource "google_logging_metric" "cleanup_orphans_found" {
  name        = "${var.name_prefix}/cleanup_orphans_found"
  description = "Cleanup runs that removed objects no live row pointed to (crashed or lost uploads)."
  filter      = "${local.cleanup_log_filter} AND jsonPayload.cleanup.counts.orphan_objects>0"

  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "INT64"
    unit        = "1"
  }

  depends_on = [google_project_service.apis]
}
