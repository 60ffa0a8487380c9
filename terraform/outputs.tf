output "base_url" {
  description = "The one base URL of the API: the front door (https://<domain>) when enable_front_door, else null (clients then use the three function URLs below)."
  value       = var.enable_front_door ? local.front_door_url : null
}

output "front_door_ip" {
  description = "Address of the front door (enable_front_door): point the domain's DNS A record at it; the managed certificate is issued once it resolves. Null without the front door."
  value       = var.enable_front_door ? google_compute_global_address.front_door[0].address : null
}

output "upload_url" {
  description = "URL of the upload function (POST /images, DELETE /images/{id}). Behind the front door it refuses outside traffic: use base_url."
  value       = google_cloudfunctions2_function.function["upload"].service_config[0].uri
}

output "fetch_url" {
  description = "URL of the fetch function (GET /images…)."
  value       = google_cloudfunctions2_function.function["fetch"].service_config[0].uri
}

output "collision_check_url" {
  description = "URL of the collision-check function (POST /collision-check)."
  value       = google_cloudfunctions2_function.function["collision_check"].service_config[0].uri
}

output "cleanup_function" {
  description = "Name of the cleanup function (invoked only by the cleanup subscription's pushes)."
  value       = google_cloudfunctions2_function.function["cleanup"].name
}

output "cleanup_topic" {
  description = "Pub/Sub topic that triggers cleanup (its subscription pushes to the cleanup function); publish {\"dryRun\":true} to it for a dry run."
  value       = google_pubsub_topic.cleanup.name
}

output "events_topic" {
  description = "Pub/Sub topic of image events (image.uploaded, image.replaced, image.deleted)."
  value       = google_pubsub_topic.events.name
}

output "dead_letter_topic" {
  description = "Dead-letter topic of cleanup messages that failed every delivery attempt."
  value       = google_pubsub_topic.dead_letter.name
}

output "images_bucket" {
  description = "Bucket holding the image bytes."
  value       = google_storage_bucket.images.name
}

output "sql_connection_name" {
  description = "Cloud SQL instance connection name (for the Cloud SQL Auth Proxy and the admin CLI)."
  value       = google_sql_database_instance.main.connection_name
}

output "db_password_secret" {
  description = "Secret Manager secret holding the database password."
  value       = google_secret_manager_secret.db_password.secret_id
}

output "project_id" {
  description = "Project the module deployed into (read by rollback.sh, rollout.sh)."
  value       = var.project_id
}

output "region" {
  description = "Region of the functions (read by rollback.sh, rollout.sh)."
  value       = var.region
}

output "function_services" {
  description = "Cloud Run service of each function (a Cloud Run function is a Cloud Run service of its name): where its revisions and traffic are managed."
  value       = local.run_services
}

output "sources_bucket" {
  description = "Bucket of the functions' source archives: releases/<release>/<function>.zip (kept by version) and <function>/<sha256>.zip."
  value       = google_storage_bucket.sources.name
}

output "dashboard_url" {
  description = "Console URL of the ImgStream dashboard (monitoring.tf, dashboard.json)."
  value       = local.dashboard_url
}

output "release_triggers" {
  description = "Cloud Build triggers of the release pipeline (empty unless enable_ci)."
  value       = concat(google_cloudbuild_trigger.staging[*].name, google_cloudbuild_trigger.production[*].name)
}
