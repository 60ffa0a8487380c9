# Alert policies, the dashboard and the log-based metrics they read. Every threshold is a variable (variables.tf, the
# reasoning in terraform/README.md "Operating"), every policy notifies var.notification_channels and says in its
# documentation what to look at first. Cloud Run functions are Cloud Run services: their request, latency and instance
# metrics are Cloud Run's (resource type cloud_run_revision, the service named like the function).

locals {
  # One Cloud Run service per function, named like it.
  run_services = { for key, fn in google_cloudfunctions2_function.function : key => fn.name }

  # The requests of one function's service (every revision: a staged rollout splits them), and its console page.
  run_requests = { for key, name in local.run_services : key => format("resource.type = %q AND resource.labels.service_name = %q AND metric.type = %q", "cloud_run_revision", name, "run.googleapis.com/request_count") }
  run_console  = { for key, name in local.run_services : key => format("https://console.cloud.google.com/run/detail/%s/%s/metrics?project=%s", var.region, name, var.project_id) }

  sql_database_id = "${var.project_id}:${google_sql_database_instance.main.name}"
  dashboard_url   = "https://console.cloud.google.com/monitoring/dashboards/custom/${element(split("/", google_monitoring_dashboard.main.id), 3)}?project=${var.project_id}"

  # The line every collision check logs (jsonPayload.collision_check: batchSize, micros, results by status; counts
  # only): the batch size, and per status how many files of a batch met it, as distributions.
  collision_check_log_filter = join(" AND ", [
    "resource.type=\"cloud_run_revision\"",
    "resource.labels.service_name=\"${google_cloudfunctions2_function.function["collision_check"].name}\"",
    "jsonPayload.collision_check.batchSize>0",
  ])
  collision_check_statuses = ["available", "exists", "identical", "invalid", "duplicate_in_request"]
}

resource "google_monitoring_alert_policy" "http_5xx_ratio" {
  for_each              = toset(local.http_functions)
  display_name          = "ImgStream ${each.key}: 5xx above ${var.alert_5xx_ratio * 100} % of requests"
  combiner              = "OR"
  enabled               = var.alerts_enabled
  notification_channels = var.notification_channels
  severity              = "CRITICAL"
  user_labels           = local.labels
  depends_on            = [google_project_service.apis]

  conditions {
    display_name = "${each.key}: 5xx / all requests over 5 minutes > ${var.alert_5xx_ratio}"
    condition_threshold {
      filter                  = "${local.run_requests[each.key]} AND metric.labels.response_code_class = \"5xx\""
      denominator_filter      = local.run_requests[each.key]
      comparison              = "COMPARISON_GT"
      threshold_value         = var.alert_5xx_ratio
      duration                = "0s"
      evaluation_missing_data = "EVALUATION_MISSING_DATA_INACTIVE"
      aggregations {
        alignment_period     = "300s"
        per_series_aligner   = "ALIGN_DELTA"
        cross_series_reducer = "REDUCE_SUM"
        group_by_fields      = ["resource.labels.service_name"]
      }
      denominator_aggregations {
        alignment_period     = "300s"
        per_series_aligner   = "ALIGN_DELTA"
        cross_series_reducer = "REDUCE_SUM"
        group_by_fields      = ["resource.labels.service_name"]
      }
    }
  }

  documentation {
    mime_type = "text/markdown"
    content   = <<-EOT
      More than ${var.alert_5xx_ratio * 100} % of the requests to **${local.run_services[each.key]}** were answered 5xx in the last 5 minutes.

      Look first at:
      1. **Was anything just released?** `gcloud run services describe ${local.run_services[each.key]} --region ${var.region} --format='value(status.traffic)'`: a new revision with traffic → `terraform/rollback.sh` sends every function back to its previous revision (one command).
      2. **503s with Retry-After** are the database or storage being unreachable (`/health` names which): check the Cloud SQL alerts and `curl -s <url>/health`.
      3. **500s** are bugs: Error Reporting, or `gcloud logging read 'resource.labels.service_name="${local.run_services[each.key]}" AND severity>=ERROR' --freshness 30m`.

      Metrics: ${local.run_console[each.key]} · Dashboard: ${local.dashboard_url}
    EOT
  }
}

resource "google_monitoring_alert_policy" "http_latency_p99" {
  for_each              = toset(local.http_functions)
  display_name          = "ImgStream ${each.key}: p99 latency above ${var.alert_latency_p99_ms[each.key]} ms"
  combiner              = "OR"
  enabled               = var.alerts_enabled
  notification_channels = var.notification_channels
  severity              = "WARNING"
  user_labels           = local.labels
  depends_on            = [google_project_service.apis]

  conditions {
    display_name = "${each.key}: p99 request latency > ${var.alert_latency_p99_ms[each.key]} ms for 5 minutes"
    condition_threshold {
      filter                  = "resource.type = \"cloud_run_revision\" AND resource.labels.service_name = \"${local.run_services[each.key]}\" AND metric.type = \"run.googleapis.com/request_latencies\""
      comparison              = "COMPARISON_GT"
      threshold_value         = var.alert_latency_p99_ms[each.key]
      duration                = "300s"
      evaluation_missing_data = "EVALUATION_MISSING_DATA_INACTIVE"
      aggregations {
        alignment_period     = "60s"
        per_series_aligner   = "ALIGN_DELTA"
        cross_series_reducer = "REDUCE_PERCENTILE_99"
        group_by_fields      = ["resource.labels.service_name"]
      }
    }
  }

  documentation {
    mime_type = "text/markdown"
    content   = <<-EOT
      The slowest 1 % of **${local.run_services[each.key]}**'s requests took more than ${var.alert_latency_p99_ms[each.key]} ms for 5 minutes.

      Look first at:
      1. **Cloud SQL**: its CPU and connections on the dashboard (${local.dashboard_url}); a slow or hung database turns every request into a wait of up to `db_timeouts` (then a 503).
      2. **Saturation**: instances at `max_instances` (its own alert) queue requests.
      3. **Cold starts** (dashboard "Instance starts"): a burst after idle costs seconds per new instance; `min_instances` keeps some warm.
      4. A release just out: compare the revisions' latencies on ${local.run_console[each.key]}; `terraform/rollback.sh` if the new one is the slow one.
    EOT
  }
}

resource "google_monitoring_alert_policy" "http_saturation" {
  for_each              = toset(local.http_functions)
  display_name          = "ImgStream ${each.key}: at max_instances (${var.functions[each.key].max_instances})"
  combiner              = "OR"
  enabled               = var.alerts_enabled
  notification_channels = var.notification_channels
  severity              = "WARNING"
  user_labels           = local.labels
  depends_on            = [google_project_service.apis]

  conditions {
    display_name = "${each.key}: instances >= max_instances (${var.functions[each.key].max_instances}) for ${var.alert_saturation_minutes} minutes"
    condition_threshold {
      filter = "resource.type = \"cloud_run_revision\" AND resource.labels.service_name = \"${local.run_services[each.key]}\" AND metric.type = \"run.googleapis.com/container/instance_count\""
      # A count is an integer: above max - 0.5 is "at max" (written -0.5 + max: hcl4j, which the tests parse it with,
      # reads "x - 0.5" as x followed by the number -0.5).
      comparison              = "COMPARISON_GT"
      threshold_value         = -0.5 + var.functions[each.key].max_instances
      duration                = "${var.alert_saturation_minutes * 60}s"
      evaluation_missing_data = "EVALUATION_MISSING_DATA_INACTIVE"
      aggregations {
        alignment_period     = "60s"
        per_series_aligner   = "ALIGN_MAX"
        cross_series_reducer = "REDUCE_SUM"
        group_by_fields      = ["resource.labels.service_name"]
      }
    }
  }

  documentation {
    mime_type = "text/markdown"
    content   = <<-EOT
      **${local.run_services[each.key]}** has run at its `max_instances` (${var.functions[each.key].max_instances}) for ${var.alert_saturation_minutes} minutes: requests beyond its capacity wait and then fail with 429/503.

      Look first at:
      1. **Is it real traffic?** Requests per function on the dashboard (${local.dashboard_url}); a single client in a loop shows as one caller in the request logs.
      2. **Is each request slower?** The p99 alert and Cloud SQL's CPU: slow requests hold instances longer.
      3. Raising `functions.${each.key}.max_instances` also raises the PostgreSQL connections at max scale (max_instances × db_pool): the plan refuses more than `sql_max_connections` − 10.
    EOT
  }
}

resource "google_monitoring_alert_policy" "cleanup_failing" {
  display_name          = "ImgStream cleanup: runs incomplete or failing"
  combiner              = "OR"
  enabled               = var.alerts_enabled
  notification_channels = var.notification_channels
  severity              = "WARNING"
  user_labels           = local.labels
  depends_on            = [google_project_service.apis]

  conditions {
    display_name = "cleanup: more than ${var.alert_cleanup_incomplete_runs} runs stopped with work left in 6 hours"
    condition_threshold {
      filter          = "resource.type = \"cloud_run_revision\" AND metric.type = \"logging.googleapis.com/user/${google_logging_metric.cleanup_incomplete.name}\""
      comparison      = "COMPARISON_GT"
      threshold_value = var.alert_cleanup_incomplete_runs
      duration        = "0s"
      aggregations {
        alignment_period     = "21600s"
        per_series_aligner   = "ALIGN_DELTA"
        cross_series_reducer = "REDUCE_SUM"
      }
    }
  }

  # A run that throws answers the push 5xx (then Pub/Sub redelivers it, up to dead_letter_max_attempts times).
  conditions {
    display_name = "cleanup: a run failed (5xx to the push) in the last hour"
    condition_threshold {
      filter                  = "resource.type = \"cloud_run_revision\" AND resource.labels.service_name = \"${google_cloudfunctions2_function.function["cleanup"].name}\" AND metric.type = \"run.googleapis.com/request_count\" AND metric.labels.response_code_class = \"5xx\""
      comparison              = "COMPARISON_GT"
      threshold_value         = 0
      duration                = "0s"
      evaluation_missing_data = "EVALUATION_MISSING_DATA_INACTIVE"
      aggregations {
        alignment_period     = "3600s"
        per_series_aligner   = "ALIGN_DELTA"
        cross_series_reducer = "REDUCE_SUM"
      }
    }
  }

  documentation {
    mime_type = "text/markdown"
    content   = <<-EOT
      Cleanup runs keep stopping at their budget with work left (the backlog of purges, orphans or outbox events grows), or a run failed.

      Look first at:
      1. **The summaries**: `gcloud logging read 'resource.labels.service_name="${local.run_services["cleanup"]}" AND jsonPayload.cleanup.ran=true' --limit 10 --format json` — `counts` per task says which task has the backlog, `completed=false` that the budget ran out.
      2. **Failures**: `gcloud logging read 'resource.labels.service_name="${local.run_services["cleanup"]}" AND severity>=ERROR' --freshness 6h`; a database outage fails every task (Cloud SQL alerts).
      3. A one-off backlog (a mass delete) drains over a few runs; a steady one needs a shorter `cleanup_schedule` or a longer cleanup timeout.
      Dashboard: ${local.dashboard_url}
    EOT
  }
}

resource "google_monitoring_alert_policy" "cleanup_orphans" {
  display_name          = "ImgStream cleanup: orphaned objects keep appearing"
  combiner              = "OR"
  enabled               = var.alerts_enabled
  notification_channels = var.notification_channels
  severity              = "WARNING"
  user_labels           = local.labels
  depends_on            = [google_project_service.apis]

  conditions {
    display_name = "cleanup: more than ${var.alert_orphan_runs} runs removed orphans in 24 hours"
    condition_threshold {
      filter          = "resource.type = \"cloud_run_revision\" AND metric.type = \"logging.googleapis.com/user/${google_logging_metric.cleanup_orphans_found.name}\""
      comparison      = "COMPARISON_GT"
      threshold_value = var.alert_orphan_runs
      duration        = "0s"
      aggregations {
        alignment_period     = "86400s"
        per_series_aligner   = "ALIGN_DELTA"
        cross_series_reducer = "REDUCE_SUM"
      }
    }
  }

  documentation {
    mime_type = "text/markdown"
    content   = <<-EOT
      Cleanup keeps finding objects in the image bucket that no live row points to: uploads write their object and then fail to commit its row.

      Look first at:
      1. **Upload errors** around the runs: `gcloud logging read 'resource.labels.service_name="${local.run_services["upload"]}" AND severity>=WARNING' --freshness 24h` ("failed with the database unavailable; its object … is left to cleanup").
      2. **Cloud SQL** availability and the upload 5xx alert: a database that drops commits leaves orphans.
      3. **Upload instances killed mid-request** (out of memory, timeout): the upload function's memory and `timeout` against its largest bodies.
      Orphans are deleted by the run that finds them; nothing is lost, but each one was an upload its client saw fail.
    EOT
  }
}

resource "google_monitoring_alert_policy" "dead_letters" {
  display_name          = "ImgStream cleanup: messages in the dead-letter subscription"
  combiner              = "OR"
  enabled               = var.alerts_enabled
  notification_channels = var.notification_channels
  severity              = "ERROR"
  user_labels           = local.labels
  depends_on            = [google_project_service.apis]

  conditions {
    display_name = "dead-letter subscription: undelivered messages > 0"
    condition_threshold {
      filter          = "resource.type = \"pubsub_subscription\" AND resource.labels.subscription_id = \"${google_pubsub_subscription.dead_letter.name}\" AND metric.type = \"pubsub.googleapis.com/subscription/num_undelivered_messages\""
      comparison      = "COMPARISON_GT"
      threshold_value = 0
      duration        = "0s"
      aggregations {
        alignment_period     = "300s"
        per_series_aligner   = "ALIGN_MAX"
        cross_series_reducer = "REDUCE_MAX"
      }
    }
  }

  documentation {
    mime_type = "text/markdown"
    content   = <<-EOT
      A cleanup message failed ${var.dead_letter_max_attempts} deliveries and went to the dead-letter topic: that run never completed.

      Look first at:
      1. **The message**: `gcloud pubsub subscriptions pull ${google_pubsub_subscription.dead_letter.name} --limit 5` (without `--auto-ack` it stays for inspection); a malformed message (hand-published) is harmless, ack it.
      2. **Why cleanup failed it**: `gcloud logging read 'resource.labels.service_name="${local.run_services["cleanup"]}" AND severity>=ERROR' --freshness 24h`.
      3. When the cause is fixed, the next scheduled run does the work again (every task is idempotent); then ack the dead letters: `gcloud pubsub subscriptions pull ${google_pubsub_subscription.dead_letter.name} --auto-ack --limit 100`.
    EOT
  }
}

resource "google_monitoring_alert_policy" "sql_cpu" {
  display_name          = "ImgStream Cloud SQL: CPU above ${var.alert_sql_cpu_utilization * 100} %"
  combiner              = "OR"
  enabled               = var.alerts_enabled
  notification_channels = var.notification_channels
  severity              = "WARNING"
  user_labels           = local.labels
  depends_on            = [google_project_service.apis]

  conditions {
    display_name = "Cloud SQL CPU utilisation > ${var.alert_sql_cpu_utilization} for 10 minutes"
    condition_threshold {
      filter          = "resource.type = \"cloudsql_database\" AND resource.labels.database_id = \"${local.sql_database_id}\" AND metric.type = \"cloudsql.googleapis.com/database/cpu/utilization\""
      comparison      = "COMPARISON_GT"
      threshold_value = var.alert_sql_cpu_utilization
      duration        = "600s"
      aggregations {
        alignment_period     = "60s"
        per_series_aligner   = "ALIGN_MEAN"
        cross_series_reducer = "REDUCE_MAX"
      }
    }
  }

  documentation {
    mime_type = "text/markdown"
    content   = <<-EOT
      The PostgreSQL instance **${google_sql_database_instance.main.name}** has been above ${var.alert_sql_cpu_utilization * 100} % CPU for 10 minutes; every function waits on it.

      Look first at:
      1. **Query Insights** (enabled): https://console.cloud.google.com/sql/instances/${google_sql_database_instance.main.name}/insights?project=${var.project_id} — the top statement by time.
      2. **Connections** on the dashboard (${local.dashboard_url}) against `sql_max_connections`.
      3. Traffic: requests per function; a cleanup run purging a large backlog shows as cleanup's statements.
      A lasting load needs a bigger `sql_tier`.
    EOT
  }
}

resource "google_monitoring_alert_policy" "sql_disk" {
  display_name          = "ImgStream Cloud SQL: disk above ${var.alert_sql_disk_utilization * 100} %"
  combiner              = "OR"
  enabled               = var.alerts_enabled
  notification_channels = var.notification_channels
  severity              = "ERROR"
  user_labels           = local.labels
  depends_on            = [google_project_service.apis]

  conditions {
    display_name = "Cloud SQL disk utilisation > ${var.alert_sql_disk_utilization}"
    condition_threshold {
      filter          = "resource.type = \"cloudsql_database\" AND resource.labels.database_id = \"${local.sql_database_id}\" AND metric.type = \"cloudsql.googleapis.com/database/disk/utilization\""
      comparison      = "COMPARISON_GT"
      threshold_value = var.alert_sql_disk_utilization
      duration        = "300s"
      aggregations {
        alignment_period     = "300s"
        per_series_aligner   = "ALIGN_MAX"
        cross_series_reducer = "REDUCE_MAX"
      }
    }
  }

  documentation {
    mime_type = "text/markdown"
    content   = <<-EOT
      The disk of **${google_sql_database_instance.main.name}** is over ${var.alert_sql_disk_utilization * 100} % full. A full disk stops every write: uploads, deletes and cleanup fail.

      Look first at:
      1. **What grows**: transaction logs for point-in-time recovery (`transaction_log_retention_days`) and the `collision_events` table (`monitoring_event_retention_days`, pruned by cleanup — check the cleanup alert).
      2. Cleanup's purge of soft-deleted images (`DELETED_RETENTION_HOURS`) running to completion.
      3. Grow the disk: `gcloud sql instances patch ${google_sql_database_instance.main.name} --storage-size <GB>` (it cannot shrink later).
    EOT
  }
}

resource "google_monitoring_alert_policy" "cleanup_backlog_age" {
  display_name          = "ImgStream cleanup: oldest unacknowledged trigger message older than ${var.alert_cleanup_message_age_seconds} s"
  combiner              = "OR"
  enabled               = var.alerts_enabled
  notification_channels = var.notification_channels
  severity              = "WARNING"
  user_labels           = local.labels
  depends_on            = [google_project_service.apis]

  # The topic's view of its subscriptions: the cleanup subscription is its only one.
  conditions {
    display_name = "cleanup topic: oldest unacked message age > ${var.alert_cleanup_message_age_seconds} s"
    condition_threshold {
      filter          = "resource.type = \"pubsub_topic\" AND resource.labels.topic_id = \"${google_pubsub_topic.cleanup.name}\" AND metric.type = \"pubsub.googleapis.com/topic/oldest_unacked_message_age_by_region\""
      comparison      = "COMPARISON_GT"
      threshold_value = var.alert_cleanup_message_age_seconds
      duration        = "0s"
      aggregations {
        alignment_period     = "300s"
        per_series_aligner   = "ALIGN_MAX"
        cross_series_reducer = "REDUCE_MAX"
      }
    }
  }

  documentation {
    mime_type = "text/markdown"
    content   = <<-EOT
      A cleanup trigger message has waited more than ${var.alert_cleanup_message_age_seconds} s without being acknowledged: cleanup is failing it again and again, or Pub/Sub cannot push it.

      Look first at:
      1. **Cleanup's responses**: the cleanup alert and `gcloud logging read 'resource.labels.service_name="${local.run_services["cleanup"]}"' --freshness 3h --limit 20`.
      2. **Delivery**: `gcloud pubsub subscriptions describe ${google_pubsub_subscription.cleanup.name}` (push endpoint = cleanup's URL); the push identity (${google_service_account.cleanup_push.email}) needs run.invoker on cleanup, and a 401/403 in cleanup's request log means it lacks it.
      3. After ${var.dead_letter_max_attempts} attempts the message moves to the dead-letter subscription (its own alert).
    EOT
  }
}

# Log-based metric for the dashboard: the body size of every HTTP request (Cloud Run's request log), by method, so that
# upload sizes and collision-check batch sizes can be charted per function.
resource "google_logging_metric" "http_request_bytes" {
  name        = "${var.name_prefix}/http_request_bytes"
  description = "Request body bytes of the HTTP functions, from Cloud Run's request log (upload sizes, collision-check batch sizes)."
  filter = join(" AND ", [
    "resource.type=\"cloud_run_revision\"",
    "log_id(\"run.googleapis.com/requests\")",
    "(${join(" OR ", formatlist("resource.labels.service_name=\"%s\"", [for key in local.http_functions : local.run_services[key]]))})",
    "httpRequest.requestSize>0",
  ])
  value_extractor = "EXTRACT(httpRequest.requestSize)"

  label_extractors = {
    method = "EXTRACT(httpRequest.requestMethod)"
  }

  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "DISTRIBUTION"
    unit        = "By"
    labels {
      key         = "method"
      value_type  = "STRING"
      description = "HTTP method"
    }
  }

  bucket_options {
    exponential_buckets {
      num_finite_buckets = 32
      growth_factor      = 2
      scale              = 64
    }
  }

  depends_on = [google_project_service.apis]
}

resource "google_logging_metric" "collision_check_batch_size" {
  name            = "${var.name_prefix}/collision_check_batch_size"
  description     = "Files per collision check, from the structured line the collision-check function logs per batch."
  filter          = local.collision_check_log_filter
  value_extractor = "EXTRACT(jsonPayload.collision_check.batchSize)"

  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "DISTRIBUTION"
    unit        = "1"
  }

  bucket_options {
    exponential_buckets {
      num_finite_buckets = 12
      growth_factor      = 2
      scale              = 1
    }
  }

  depends_on = [google_project_service.apis]
}

resource "google_logging_metric" "collision_check_results" {
  for_each        = toset(local.collision_check_statuses)
  name            = "${var.name_prefix}/collision_check_result_${each.key}"
  description     = "Files per collision check whose status was ${each.key}."
  filter          = local.collision_check_log_filter
  value_extractor = "EXTRACT(jsonPayload.collision_check.results.${each.key})"

  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "DISTRIBUTION"
    unit        = "1"
  }

  bucket_options {
    exponential_buckets {
      num_finite_buckets = 12
      growth_factor      = 2
      scale              = 1
    }
  }

  depends_on = [google_project_service.apis]
}

resource "google_monitoring_dashboard" "main" {
  dashboard_json = templatefile("${path.module}/dashboard.json", {
    title               = "ImgStream (${var.name_prefix})"
    services            = join("|", values(local.run_services))
    upload_service      = local.run_services["upload"]
    collision_service   = local.run_services["collision_check"]
    cleanup_service     = local.run_services["cleanup"]
    request_bytes       = "logging.googleapis.com/user/${google_logging_metric.http_request_bytes.name}"
    collision_batch     = "logging.googleapis.com/user/${google_logging_metric.collision_check_batch_size.name}"
    collision_results   = "logging.googleapis.com/user/${var.name_prefix}/collision_check_result_"
    cleanup_incomplete  = "logging.googleapis.com/user/${google_logging_metric.cleanup_incomplete.name}"
    cleanup_orphans     = "logging.googleapis.com/user/${google_logging_metric.cleanup_orphans_found.name}"
    sql_database_id     = local.sql_database_id
    sql_max_connections = var.sql_max_connections
    cleanup_topic       = google_pubsub_topic.cleanup.name
    dead_letter         = google_pubsub_subscription.dead_letter.name
  })

  # The widgets name the collision-check metrics by prefix: they exist before the dashboard shows them.
  depends_on = [google_project_service.apis, google_logging_metric.collision_check_results]
}
