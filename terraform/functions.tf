# The four functions: java17, each from its own deployable jar, each running as its own service account. The source
# of a function is either a release the pipeline uploaded (releases/<release>/<function>.zip, var.release) or, without
# a release, the jar built here, uploaded under its content hash so that a code change redeploys.

resource "google_storage_bucket" "sources" {
  name                        = "${var.project_id}-${var.name_prefix}-sources"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = true
  labels                      = local.labels

  # Archives are kept so that an earlier release can be applied again (terraform/README.md "Operating"); Terraform deletes
  # the content-hash object it replaces, but release archives are not Terraform's and stay until this rule.
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

data "archive_file" "function" {
  for_each    = var.release == "" ? local.function_specs : {}
  type        = "zip"
  source_file = "${path.module}/${var.function_artifacts_dir}/${each.value.module}/target/imgstream-${each.value.module}-function.jar"
  output_path = "${path.module}/.build/${each.key}.zip"
}

resource "google_storage_bucket_object" "function" {
  for_each = var.release == "" ? local.function_specs : {}
  name     = "${each.key}/${data.archive_file.function[each.key].output_sha256}.zip"
  bucket   = google_storage_bucket.sources.name
  source   = data.archive_file.function[each.key].output_path
}

locals {
  # The object each function builds from: the release's archive (uploaded by the pipeline, named like cloudbuild.yaml's
  # "archives" step names it) or the content-hash object above.
  function_source_objects = var.release == "" ? { for key, object in google_storage_bucket_object.function : key => object.name } : { for key, spec in local.function_specs : key => format("releases/%s/%s.zip", var.release, key) }
}

resource "google_cloudfunctions2_function" "function" {
  for_each = local.function_specs
  name     = "${var.name_prefix}-${replace(each.key, "_", "-")}"
  location = var.region
  labels   = local.labels

  build_config {
    runtime     = "java17"
    entry_point = each.value.entry_point
    # Builds run as this account, not the project's default build account, which projects created since mid-2024
    # may leave without the permissions a function build needs (iam.tf, terraform/README.md).
    service_account = google_service_account.build.id
    source {
      storage_source {
        bucket = google_storage_bucket.sources.name
        object = local.function_source_objects[each.key]
      }
    }
  }

  service_config {
    service_account_email            = google_service_account.function[each.key].email
    available_memory                 = var.functions[each.key].memory
    available_cpu                    = var.functions[each.key].cpu
    timeout_seconds                  = var.functions[each.key].timeout
    min_instance_count               = var.functions[each.key].min_instances
    max_instance_count               = var.functions[each.key].max_instances
    max_instance_request_concurrency = var.functions[each.key].concurrency
    all_traffic_on_latest_revision   = var.all_traffic_on_latest_revision
    # Behind the front door the run.app URL refuses outside traffic: only the load balancer (and internal callers) reach
    # the HTTP functions. Cleanup is only ever pushed to by Pub/Sub (internal traffic of the project).
    ingress_settings = each.value.http ? (var.enable_front_door ? "ALLOW_INTERNAL_AND_GCLB" : "ALLOW_ALL") : "ALLOW_INTERNAL_ONLY"
    # The heap sizing Google's Java launcher (buildpacks' launch.sh) gives a function, -XX:MaxRAM from the instance memory
    # and 70 % of it for the heap, is skipped as soon as JAVA_TOOL_OPTIONS is set, as it is here: without it the JVM keeps
    # its 25 % default, a 128 MiB heap on a 512 MiB instance, which 16 concurrent 4 MiB collision checks overflowed
    # (OutOfMemoryError, 500s; PLANS.md). It comes first, so that java_tool_options can still override it.
    environment_variables = merge(local.common_env, {
      JAVA_TOOL_OPTIONS = "-XX:MaxRAM=${local.jvm_max_ram[each.key]} -XX:MaxRAMPercentage=70 ${var.java_tool_options[each.key]}"
      DB_MAX_POOL_SIZE  = tostring(var.functions[each.key].db_pool)
    })

    secret_environment_variables {
      key        = "DB_PASSWORD"
      project_id = var.project_id
      secret     = google_secret_manager_secret.db_password.secret_id
      version    = "latest"
    }

    vpc_connector                 = var.vpc_egress == "connector" ? google_vpc_access_connector.main[0].id : null
    vpc_connector_egress_settings = var.vpc_egress == "connector" ? "PRIVATE_RANGES_ONLY" : null
    direct_vpc_egress             = var.vpc_egress == "direct" ? "VPC_EGRESS_PRIVATE_RANGES_ONLY" : null

    dynamic "direct_vpc_network_interface" {
      for_each = var.vpc_egress == "direct" ? [1] : []
      content {
        network    = google_compute_network.main.id
        subnetwork = google_compute_subnetwork.main.id
      }
    }
  }

  # No event trigger: cleanup is an HTTP endpoint that the cleanup subscription pushes to (messaging.tf), so that its
  # retries and dead-letter policy are Terraform's resources rather than settings on a subscription Eventarc owns.

  # DB_PASSWORD reads the secret's latest version at deployment: the version must exist and the accessor grants must
  # have propagated first. The build account's roles must be in place before the first build.
  depends_on = [
    google_project_service.apis,
    google_secret_manager_secret_version.db_password,
    google_secret_manager_secret_iam_member.db_password,
    time_sleep.secret_access_propagation,
    google_project_iam_member.build,
    google_service_account_iam_member.build_act_as,
    google_service_networking_connection.main,
  ]
}
