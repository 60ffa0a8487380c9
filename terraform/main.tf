# Shared values and the APIs the module needs. Resources live in files named by concern.

locals {
  labels = merge({ app = "imgstream", environment = var.environment }, var.labels)

  # One entry per deployable function: its Maven module, entry point, whether HTTP clients call it, and the entry point
  # the local emulator runs (dev's Deployment reads this block). Cleanup deployed is the HTTP entry point the cleanup
  # subscription pushes to (messaging.tf); locally the same job runs as a CloudEvent function behind the emulator's
  # cleanup port, which takes both the push request and the CloudEvent.
  function_specs = {
    upload          = { module = "upload", entry_point = "io.imgstream.web.ImgStreamHttpFunction", http = true, emulator_entry_point = "io.imgstream.web.ImgStreamHttpFunction" }
    fetch           = { module = "fetch", entry_point = "io.imgstream.web.ImgStreamHttpFunction", http = true, emulator_entry_point = "io.imgstream.web.ImgStreamHttpFunction" }
    collision_check = { module = "collision-check", entry_point = "io.imgstream.web.ImgStreamHttpFunction", http = true, emulator_entry_point = "io.imgstream.web.ImgStreamHttpFunction" }
    cleanup         = { module = "cleanup", entry_point = "io.imgstream.cleanup.CleanupPushFunction", http = false, emulator_entry_point = "io.imgstream.cleanup.CleanupFunction" }
  }

  # The most PostgreSQL connections the functions can hold at once: every instance of every function at max_instances.
  db_connections_at_max_scale = sum([for sizing in values(var.functions) : sizing.max_instances * sizing.db_pool])

  # The instance memory in the JVM's units (512Mi -> 512m, 1Gi -> 1g), for the heap sizing in functions.tf.
  jvm_max_ram = { for key, sizing in var.functions : key => lower(replace(replace(sizing.memory, "Gi", "g"), "Mi", "m")) }


  # The API's public base URL: var.fetch_base_url when set, else the front door's base URL when enable_front_door (the
  # run.app URL then refuses outside traffic), else the fetch function's deterministic Cloud Run URL
  # (https://SERVICE-PROJECT_NUMBER.REGION.run.app, known before the function exists).
  public_base_url = var.fetch_base_url != "" ? var.fetch_base_url : (var.enable_front_door ? "https://${var.domain}" : "https://${var.name_prefix}-fetch-${data.google_project.main.number}.${var.region}.run.app")

  # Configuration every function reads (names as in docs/api.md's configuration table).
  common_env = {
    ENVIRONMENT                     = var.environment
    INSTANCE_CONNECTION_NAME        = google_sql_database_instance.main.connection_name
    DB_NAME                         = var.db_name
    DB_USER                         = var.db_user
    DB_IP_TYPES                     = "PRIVATE"
    GCS_BUCKET_NAME                 = google_storage_bucket.images.name
    EVENTS_TOPIC                    = google_pubsub_topic.events.name
    GOOGLE_CLOUD_PROJECT            = var.project_id
    MAX_UPLOAD_BYTES                = tostring(var.max_upload_bytes)
    MAX_IMAGE_PIXELS                = tostring(var.max_image_pixels)
    COLLISION_DETECTION_BATCH_SIZE  = tostring(var.collision_detection_batch_size)
    THUMBNAIL_SIZES                 = var.thumbnail_sizes
    MAX_RESUMABLE_BYTES             = tostring(var.max_resumable_bytes)
    RESUMABLE_EXPIRY_HOURS          = tostring(var.resumable_expiry_hours)
    THUMBNAIL_RENDER_CONCURRENCY    = tostring(var.thumbnail_render_concurrency)
    MONITORING_ENABLED              = tostring(var.monitoring_enabled)
    MONITORING_EVENT_RETENTION_DAYS = tostring(var.monitoring_event_retention_days)
    DELETED_RETENTION_HOURS         = tostring(var.deleted_retention_hours)
    ALLOWED_ORIGINS                 = join(",", var.allowed_origins)
    LOG_LEVEL                       = var.log_level
    # Every wait on Cloud SQL is bounded: a request hears a 503 within max(connect, socket) seconds (docs/api.md, Failure behaviour).
    DB_CONNECT_TIMEOUT_SECONDS = tostring(var.db_timeouts.connect_seconds)
    DB_SOCKET_TIMEOUT_SECONDS  = tostring(var.db_timeouts.socket_seconds)
    DB_STATEMENT_TIMEOUT_MS    = tostring(var.db_timeouts.statement_ms)
    # Where an upload's Location points (only upload reads it) and the server fetch's API document names: the one
    # public base URL (local.public_base_url).
    FETCH_URL    = local.public_base_url
    API_BASE_URL = local.public_base_url
  }

  apis = [
    "cloudfunctions.googleapis.com",
    "run.googleapis.com",
    "cloudbuild.googleapis.com",
    "artifactregistry.googleapis.com",
    "pubsub.googleapis.com",
    "cloudscheduler.googleapis.com",
    "sqladmin.googleapis.com",
    "secretmanager.googleapis.com",
    "compute.googleapis.com",
    "servicenetworking.googleapis.com",
    "vpcaccess.googleapis.com",
    "iam.googleapis.com",
    "iamcredentials.googleapis.com",
    "storage.googleapis.com",
    "logging.googleapis.com",
    "monitoring.googleapis.com",
    # data.google_project and every google_project_iam_member read and write the project through Resource Manager.
    "cloudresourcemanager.googleapis.com",
  ]
}

data "google_project" "main" {
  project_id = var.project_id

  depends_on = [google_project_service.apis]
}

resource "google_project_service" "apis" {
  for_each           = toset(local.apis)
  project            = var.project_id
  service            = each.value
  disable_on_destroy = false
}
