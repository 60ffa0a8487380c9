variable "project_id" {
  type        = string
  description = "GCP project to deploy into. No default: deploying to the wrong project must be impossible by omission."
}

variable "region" {
  type        = string
  description = "Region of the functions, Cloud SQL, the buckets and the scheduler job."
  default     = "europe-west1"
}

variable "environment" {
  type        = string
  description = "Value of ENVIRONMENT for every function: development, test or production."
  default     = "production"

  validation {
    condition     = contains(["development", "test", "production"], var.environment)
    error_message = "environment must be development, test or production."
  }
}

variable "name_prefix" {
  type        = string
  description = "Prefix of every resource name, so that several environments can share a project."
  default     = "imgstream"
}

variable "function_artifacts_dir" {
  type        = string
  description = "Directory holding the deployable jars (functions/<name>/target/imgstream-<name>-function.jar), relative to this module."
  default     = "../functions"
}

variable "functions" {
  type = map(object({
    memory        = string
    cpu           = string
    timeout       = number
    min_instances = number
    max_instances = number
    concurrency   = number
    db_pool       = number
  }))
  description = "Sizing per function (keys upload, fetch, collision_check, cleanup): memory (e.g. 512Mi), cpu, timeout seconds, min/max instances, concurrent requests per instance, and db_pool, the most PostgreSQL connections one instance opens (DB_MAX_POOL_SIZE; a request holds one only for its statements, never while streaming). Every instance of every function at its max_instances must fit in sql_max_connections (checked at plan)."
  default = {
    upload          = { memory = "1Gi", cpu = "1", timeout = 300, min_instances = 0, max_instances = 20, concurrency = 4, db_pool = 2 }
    fetch           = { memory = "1Gi", cpu = "1", timeout = 120, min_instances = 0, max_instances = 50, concurrency = 16, db_pool = 2 }
    collision_check = { memory = "512Mi", cpu = "1", timeout = 60, min_instances = 0, max_instances = 20, concurrency = 16, db_pool = 2 }
    cleanup         = { memory = "512Mi", cpu = "1", timeout = 540, min_instances = 0, max_instances = 1, concurrency = 1, db_pool = 2 }
  }
}

variable "java_tool_options" {
  type        = map(string)
  description = "JAVA_TOOL_OPTIONS per function (keys upload, fetch, collision_check, cleanup). C1-only (-XX:TieredStopAtLevel=1) and the serial GC cut cold starts; upload keeps C2 because SHA-256 runs 4x faster with C2's intrinsics. -Xms64m and -XX:MetaspaceSize=64m spare the start-up most of its garbage collections (a 512 MiB instance otherwise starts with an 8 MiB heap and collects 15-17 times before its first answer). functions.tf puts -XX:MaxRAM=<instance memory> -XX:MaxRAMPercentage=70 before these (the heap sizing Google's Java launcher skips once JAVA_TOOL_OPTIONS is set). See BENCHMARKS.md."
  default = {
    upload          = "-XX:+UseSerialGC -Xms64m -XX:MetaspaceSize=64m"
    fetch           = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xms64m -XX:MetaspaceSize=64m"
    collision_check = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xms64m -XX:MetaspaceSize=64m"
    cleanup         = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xms64m -XX:MetaspaceSize=64m"
  }
}

variable "http_invokers" {
  type        = list(string)
  description = "Who may invoke the HTTP functions (upload, fetch, collision-check): [\"allUsers\"] for public endpoints guarded by API keys, or IAM members."
  default     = ["allUsers"]
}

variable "vpc_egress" {
  type        = string
  description = "How functions reach Cloud SQL's private IP: \"direct\" (Direct VPC egress) or \"connector\" (Serverless VPC Access connector)."
  default     = "direct"

  validation {
    condition     = contains(["direct", "connector"], var.vpc_egress)
    error_message = "vpc_egress must be direct or connector."
  }
}

variable "subnet_cidr" {
  type        = string
  description = "CIDR of the functions' subnet (Direct VPC egress takes addresses from it)."
  default     = "10.10.0.0/24"
}

variable "connector_cidr" {
  type        = string
  description = "/28 CIDR of the Serverless VPC Access connector, used when vpc_egress = \"connector\"."
  default     = "10.10.1.0/28"
}

variable "sql_tier" {
  type        = string
  description = "Cloud SQL machine tier."
  default     = "db-custom-1-3840"
}

variable "db_timeouts" {
  type = object({
    connect_seconds = number
    socket_seconds  = number
    statement_ms    = number
  })
  description = "Bounds on every wait on Cloud SQL (DB_CONNECT_TIMEOUT_SECONDS, DB_SOCKET_TIMEOUT_SECONDS, DB_STATEMENT_TIMEOUT_MS): getting a connection (pool wait, TCP connect and handshake), every read of an open connection, and PostgreSQL's statement_timeout, which must stay below the socket bound so that the server cancels a slow query before the client breaks its connection. A request hears a 503 with Retry-After within max(connect, socket) seconds while the database hangs."
  default     = { connect_seconds = 4, socket_seconds = 5, statement_ms = 4000 }
  validation {
    condition     = var.db_timeouts.connect_seconds >= 1 && var.db_timeouts.connect_seconds <= 60 && var.db_timeouts.socket_seconds >= 1 && var.db_timeouts.socket_seconds <= 3600 && var.db_timeouts.statement_ms >= 1 && var.db_timeouts.statement_ms < var.db_timeouts.socket_seconds * 1000
    error_message = "db_timeouts: connect_seconds 1..60, socket_seconds 1..3600, and 0 < statement_ms < socket_seconds x 1000."
  }
}

variable "sql_max_connections" {
  type        = number
  description = "PostgreSQL max_connections of the instance. The functions' worst case, the sum of max_instances x db_pool over all functions, must leave 10 connections free for the admin CLI, migrations and Cloud SQL itself; a plan that does not is refused."
  default     = 200
}

variable "sql_availability_type" {
  type        = string
  description = "ZONAL or REGIONAL (high availability) Cloud SQL."
  default     = "ZONAL"
}

variable "sql_deletion_protection" {
  type        = bool
  description = "Protect the Cloud SQL instance from deletion (both Terraform's and the API's protection)."
  default     = true
}

variable "sql_backup_start_time" {
  type        = string
  description = "UTC start (HH:MM) of the daily automated backup."
  default     = "02:00"
}

variable "sql_maintenance_day" {
  type        = number
  description = "Day of the week (1 = Monday … 7 = Sunday) of the maintenance window."
  default     = 7
}

variable "sql_maintenance_hour" {
  type        = number
  description = "UTC hour of the maintenance window."
  default     = 3
}

variable "db_name" {
  type        = string
  description = "Name of the application database."
  default     = "imgstream"
}

variable "db_user" {
  type        = string
  description = "Name of the application database user (its password is generated and kept in Secret Manager)."
  default     = "imgstream"
}

variable "allowed_origins" {
  type        = list(string)
  description = "CORS origins of browser clients (ALLOWED_ORIGINS and the image bucket's CORS)."
  default     = []
}

variable "fetch_base_url" {
  type        = string
  description = "Base URL where clients read images (FETCH_URL; an upload's 201 Location points under it). Empty: the fetch function's deterministic Cloud Run URL. Set it when a load balancer or custom domain fronts the functions."
  default     = ""
}

variable "bucket_versioning" {
  type        = bool
  description = "Object versioning of the image bucket (objects are never overwritten; versioning only keeps deleted ones)."
  default     = false
}

variable "bucket_soft_delete_days" {
  type        = number
  description = "Soft-delete retention of the image bucket in days (0 disables soft delete)."
  default     = 7
}

variable "bucket_nearline_after_days" {
  type        = number
  description = "Move image objects to NEARLINE after this many days; 0 keeps everything STANDARD."
  default     = 0
}

variable "max_upload_bytes" {
  type        = number
  description = "MAX_UPLOAD_BYTES: largest upload (Cloud Run's request limit is 32 MiB)."
  default     = 33554432
}

variable "max_image_pixels" {
  type        = number
  description = "MAX_IMAGE_PIXELS: largest declared width × height."
  default     = 100000000
}

variable "max_resumable_bytes" {
  type        = number
  description = "MAX_RESUMABLE_BYTES: the largest resumable (tus) upload, announced as Tus-Max-Size. Each chunk is one request and stays under max_upload_bytes."
  default     = 1073741824
}

variable "resumable_expiry_hours" {
  type        = number
  description = "RESUMABLE_EXPIRY_HOURS: an unfinished resumable upload expires (and releases its name) this long after its creation; cleanup's expired_uploads task then deletes its bytes."
  default     = 24
  validation {
    condition     = var.resumable_expiry_hours >= 1 && var.resumable_expiry_hours <= 720
    error_message = "resumable_expiry_hours must be 1 to 720."
  }
}

variable "thumbnail_sizes" {
  type        = string
  description = "THUMBNAIL_SIZES: the thumbnail edges the fetch function serves, comma separated, each 16-4096 (a request without size gets 320, or the first listed when 320 is not among them)."
  default     = "160,320,640,1280,2048"
}

variable "thumbnail_render_concurrency" {
  type        = number
  description = "THUMBNAIL_RENDER_CONCURRENCY: thumbnail renders at a time per fetch instance; 0 means 2 per vCPU. Each render holds at most about 48 MiB of heap (an 8-megapixel decode budget plus buffers), so fetch's memory must cover this many renders beside its concurrent downloads (terraform/README.md, Sizing)."
  default     = 0
  validation {
    condition     = var.thumbnail_render_concurrency >= 0 && var.thumbnail_render_concurrency <= 1024
    error_message = "thumbnail_render_concurrency must be 0 (2 per vCPU) to 1024."
  }
}

variable "collision_detection_batch_size" {
  type        = number
  description = "COLLISION_DETECTION_BATCH_SIZE: largest collision-check batch."
  default     = 500
}

variable "monitoring_enabled" {
  type        = bool
  description = "MONITORING_ENABLED: record collision events."
  default     = true
}

variable "monitoring_event_retention_days" {
  type        = number
  description = "MONITORING_EVENT_RETENTION_DAYS: collision events older than this are pruned by cleanup."
  default     = 30
}

variable "deleted_retention_hours" {
  type        = number
  description = "DELETED_RETENTION_HOURS: soft-deleted images' bytes are purged after this."
  default     = 72
}

variable "log_level" {
  type        = string
  description = "LOG_LEVEL of every function."
  default     = "INFO"
}

variable "cleanup_schedule" {
  type        = string
  description = "Cron schedule of the cleanup job (Cloud Scheduler syntax)."
  default     = "0 * * * *"
}

variable "cleanup_time_zone" {
  type        = string
  description = "Time zone of the cleanup schedule."
  default     = "Etc/UTC"
}

variable "cleanup_message" {
  type        = string
  description = "JSON data of the scheduled cleanup message; {} runs every task."
  default     = "{}"
}

variable "dead_letter_max_attempts" {
  type        = number
  description = "Deliveries of a cleanup message before it goes to the dead-letter topic."
  default     = 5
}

variable "labels" {
  type        = map(string)
  description = "Labels on every resource that takes them."
  default     = {}
}
