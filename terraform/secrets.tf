# The database password lives only in Secret Manager; functions get it as the secret environment
# variable DB_PASSWORD, readable by their own service accounts and nobody else. It is never in Terraform's state or
# plan: generated as an ephemeral value on each run (sql.tf) and written through write-only arguments only when
# var.db_password_version changes (Terraform >= 1.11).

resource "google_secret_manager_secret" "db_password" {
  secret_id = "${var.name_prefix}-db-password"
  labels    = local.labels

  replication {
    auto {}
  }

  depends_on = [google_project_service.apis]
}

resource "google_secret_manager_secret_version" "db_password" {
  secret                 = google_secret_manager_secret.db_password.id
  secret_data_wo         = ephemeral.random_password.db.result
  secret_data_wo_version = var.db_password_version
}

resource "google_secret_manager_secret_iam_member" "db_password" {
  for_each  = local.function_specs
  secret_id = google_secret_manager_secret.db_password.id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.function[each.key].email}"
}

# IAM changes take effect within about a minute, sometimes up to seven (Google, "Access change propagation"): a function
# created right after its accessor grant could fail to read DB_PASSWORD at deployment. The functions wait for this.
resource "time_sleep" "secret_access_propagation" {
  create_duration = "90s"
  triggers = {
    members = join(",", [for member in google_secret_manager_secret_iam_member.db_password : member.member])
    version = google_secret_manager_secret_version.db_password.name
  }
}
