# Cloud SQL for PostgreSQL 15: private IP only, SSL required, backups with point-in-time recovery,
# deletion protection, a maintenance window. Functions reach it through the Cloud SQL socket factory.

resource "google_sql_database_instance" "main" {
  name                = "${var.name_prefix}-pg"
  region              = var.region
  database_version    = "POSTGRES_15"
  deletion_protection = var.sql_deletion_protection

  settings {
    tier                        = var.sql_tier
    availability_type           = var.sql_availability_type
    deletion_protection_enabled = var.sql_deletion_protection
    user_labels                 = local.labels

    ip_configuration {
      ipv4_enabled                                  = false
      private_network                               = google_compute_network.main.id
      ssl_mode                                      = "ENCRYPTED_ONLY"
      enable_private_path_for_google_cloud_services = true
    }

    backup_configuration {
      enabled                        = true
      start_time                     = var.sql_backup_start_time
      point_in_time_recovery_enabled = true
      transaction_log_retention_days = 7
      backup_retention_settings {
        retained_backups = 14
      }
    }

    maintenance_window {
      day          = var.sql_maintenance_day
      hour         = var.sql_maintenance_hour
      update_track = "stable"
    }

    database_flags {
      name  = "max_connections"
      value = tostring(var.sql_max_connections)
    }

    insights_config {
      query_insights_enabled = true
    }
  }

  lifecycle {
    # A burst that scales every function to its max_instances must not exhaust the connections: PostgreSQL would then
    # refuse new ones for every function at once ("remaining connection slots are reserved").
    precondition {
      condition     = local.db_connections_at_max_scale + 10 <= var.sql_max_connections
      error_message = "The functions could open more PostgreSQL connections at max_instances (sum of max_instances x db_pool) than sql_max_connections leaves free (10 kept for admin and Cloud SQL): lower max_instances or db_pool, or raise sql_max_connections with the tier."
    }
  }

  depends_on = [google_service_networking_connection.main]
}

resource "google_sql_database" "main" {
  name     = var.db_name
  instance = google_sql_database_instance.main.name
}

# Ephemeral (random >= 3.7, Terraform >= 1.11): a new value on every run, never stored; it is written to the user and
# the secret (secrets.tf) in the same run, and only when var.db_password_version changes.
ephemeral "random_password" "db" {
  length  = 32
  special = false
}

resource "google_sql_user" "app" {
  name                = var.db_user
  instance            = google_sql_database_instance.main.name
  password_wo         = ephemeral.random_password.db.result
  password_wo_version = var.db_password_version
}
