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
  description = "JAVA_TOOL_OPTIONS per function (keys upload, fetch, collision_check, cleanup). C1-only (-XX:TieredStopAtLevel=1) and the serial GC cut cold starts; upload keeps C2 because SHA-256 runs about 10x faster with C2's intrinsics, with C2's thresholds raised 10x (Tier4*) so that start-up code seldom reaches C2 while the SHA-256 loop does (upload's start-up CPU -22 %, SHA-256 throughput unchanged). -Xms64m and -XX:MetaspaceSize=64m spare the start-up most of its garbage collections (a 512 MiB instance otherwise starts with an 8 MiB heap and collects 15-17 times before its first answer). functions.tf puts -XX:MaxRAM=<instance memory> -XX:MaxRAMPercentage=70 before these (the heap sizing Google's Java launcher skips once JAVA_TOOL_OPTIONS is set). See BENCHMARKS.md."
  default = {
    upload          = "-XX:+UseSerialGC -Xms64m -XX:MetaspaceSize=64m -XX:Tier4InvocationThreshold=50000 -XX:Tier4MinInvocationThreshold=6000 -XX:Tier4CompileThreshold=150000 -XX:Tier4BackEdgeThreshold=400000"
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
  description = "CIDR of the functions' subnet. Direct VPC egress takes its addresses from it: Google counts about 4 addresses per instance (networking best practices: instance count x 4) and reserves them in blocks of 16, so it must hold 4 x the sum of max_instances plus a block of 16 per function for each of two revisions during a rollout (checked at plan, network.tf). The default /22 (1020 usable) covers prod.tfvars' 161 instances (4 x 161 + 16 x 4 x 2 = 772); the former /24 (252) covered 55. Widening a subnet is an in-place change."
  default     = "10.10.0.0/22"
}

variable "connector_cidr" {
  type        = string
  description = "/28 CIDR of the Serverless VPC Access connector, used when vpc_egress = \"connector\" (outside subnet_cidr)."
  default     = "10.10.8.0/28"
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
  description = "Base URL where clients read images (FETCH_URL; an upload's 201 Location points under it). Empty: the front door's https://<domain> when enable_front_door, else the fetch function's deterministic Cloud Run URL. Set it only for another proxy or custom domain in front of the functions."
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
  description = "MAX_UPLOAD_BYTES: largest upload. Cloud Run refuses an HTTP/1 request above 32 MiB (33554432 bytes) before the function sees it, so the default leaves 256 KiB under that limit for the request line, headers and multipart framing: a maximum-size upload is then answered by the function (201, or a 413 problem when larger), never by the platform. Keep it below 33554432."
  default     = 33292288
  validation {
    condition     = var.max_upload_bytes > 0 && var.max_upload_bytes < 33554432
    error_message = "max_upload_bytes must stay below Cloud Run's 32 MiB request limit (33554432): leave room for headers and multipart framing."
  }
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

variable "deployers" {
  type        = list(string)
  description = "IAM members that run terraform apply or the pipeline (user:…, serviceAccount:…): each gets actAs (roles/iam.serviceAccountUser) on the functions' build service account, which deploying a function that builds as it requires. A deployer with Service Account User on the whole project (terraform/README.md, Requirements) needs no entry."
  default     = []
}

variable "db_password_version" {
  type        = number
  description = "Version of the database password. The password is generated on each run as an ephemeral value and written only through write-only arguments (google_sql_user.password_wo, google_secret_manager_secret_version.secret_data_wo), so it is never in the state or the plan; it is written when this number changes: raise it to rotate the password (the functions read the secret's latest version at their next cold start)."
  default     = 1
}

# --- One front door (frontdoor.tf; terraform/README.md "One front door") ---

variable "enable_front_door" {
  type        = bool
  description = "Put a global external Application Load Balancer with a Google-managed certificate for domain and Cloud Armor rate limits in front of the HTTP functions (one base URL, https://<domain>), and restrict the functions' ingress to internal and load balancer traffic. false: the functions keep their own run.app URLs and nothing in frontdoor.tf is created."
  default     = false
}

variable "domain" {
  type        = string
  description = "Host name of the front door (e.g. api.example.com): the managed certificate is issued for it once its DNS A record points at the front_door_ip output. Required with enable_front_door."
  default     = ""
}

variable "rate_limit_per_ip_per_minute" {
  type        = number
  description = "Cloud Armor: most requests one client IP address may send across the whole API per minute (keyed and unkeyed together); beyond it the front door answers 429."
  default     = 1000
}

variable "rate_limit_per_key_per_minute" {
  type        = number
  description = "Cloud Armor: most requests carrying an API key (Authorization: Bearer or X-API-Key) per minute, counted per client address: one client address with a key never exceeds it across the API (terraform/README.md, Cloud Armor, says what Cloud Armor can and cannot count). Part of rate_limit_per_ip_per_minute, which must be larger."
  default     = 100
  validation {
    condition     = var.rate_limit_per_key_per_minute >= 1 && var.rate_limit_per_key_per_minute < var.rate_limit_per_ip_per_minute
    error_message = "rate_limit_per_key_per_minute must be at least 1 and below rate_limit_per_ip_per_minute (keyed requests are part of a client address's requests)."
  }
}

variable "rate_limit_shares" {
  type        = object({ upload = number, fetch = number, collision_check = number })
  description = "Share of each rate limit given to each routed function's backend service (keys upload, fetch, collision_check; sum at most 1). Cloud Armor counts a threshold per backend service, so one policy with the full limits on three backends would allow three times the limit across the API; with shares summing to 1 a client address can never exceed the documented limits in total, and the split follows where a client's requests go (fetch reads the most)."
  default     = { upload = 0.3, fetch = 0.5, collision_check = 0.2 }
  validation {
    condition     = alltrue([for share in values(var.rate_limit_shares) : share > 0]) && sum(values(var.rate_limit_shares)) <= 1.000001
    error_message = "rate_limit_shares needs a share above 0 for upload, fetch and collision_check, summing to at most 1."
  }
}

variable "labels" {
  type        = map(string)
  description = "Labels on every resource that takes them."
  default     = {}
}

# --- Operating it: alerts, dashboard, release pipeline (monitoring.tf, ci.tf; terraform/README.md "Operating") ---

variable "alerts_enabled" {
  type        = bool
  description = "Whether the alert policies of monitoring.tf are enabled (they are created either way, so that turning them on is one apply)."
  default     = true
}

variable "notification_channels" {
  type        = list(string)
  description = "Cloud Monitoring notification channel ids (projects/<project>/notificationChannels/<id>) every alert policy notifies. Empty: incidents open in the console but nobody is told."
  default     = []
}

variable "alert_5xx_ratio" {
  type        = number
  description = "Share of an HTTP function's requests answered 5xx over 5 minutes above which its alert fires (0.01 = 1 %). The staged rollout rolls back above the same ratio."
  default     = 0.01
  validation {
    condition     = var.alert_5xx_ratio > 0 && var.alert_5xx_ratio < 1
    error_message = "alert_5xx_ratio is a fraction between 0 and 1 (0.01 = 1 %)."
  }
}

variable "alert_latency_p99_ms" {
  type        = object({ upload = number, fetch = number, collision_check = number })
  description = "p99 request latency in milliseconds per HTTP function (keys upload, fetch, collision_check) above which, for 5 minutes, its alert fires. Cloud Run's latency includes the body transfer, so upload (32 MiB bodies from slow clients) and fetch (content downloads, thumbnail renders) get more room than collision-check (one SQL statement per batch). Reasoning in terraform/README.md."
  default     = { upload = 15000, fetch = 5000, collision_check = 1000 }
}

variable "alert_saturation_minutes" {
  type        = number
  description = "Minutes an HTTP function must run at its max_instances (functions.<name>.max_instances) before the saturation alert fires."
  default     = 5
}

variable "alert_cleanup_incomplete_runs" {
  type        = number
  description = "Real cleanup runs stopping at their budget with work left, within 6 hours, above which the cleanup alert fires (0: the first one). One run stopping at its budget after a burst is normal; several in a row mean the backlog grows."
  default     = 2
}

variable "alert_orphan_runs" {
  type        = number
  description = "Real cleanup runs that removed orphaned objects, within 24 hours, above which the orphans alert fires. An orphan is an object no live row points to (an upload crashed between writing it and committing its row): rare, so a steady stream means uploads are failing mid-way."
  default     = 3
}

variable "alert_sql_cpu_utilization" {
  type        = number
  description = "Cloud SQL CPU utilisation (0-1) above which, for 10 minutes, its alert fires."
  default     = 0.8
}

variable "alert_sql_disk_utilization" {
  type        = number
  description = "Cloud SQL disk utilisation (0-1) above which its alert fires (storage auto-increase grows the disk, but only so often; a full disk stops every write)."
  default     = 0.85
}

variable "alert_cleanup_message_age_seconds" {
  type        = number
  description = "Age in seconds of the oldest unacknowledged message on the cleanup topic above which its alert fires. The scheduler publishes hourly and a run takes at most the cleanup timeout (540 s), so a message older than two hours means cleanup keeps failing or is not being delivered."
  default     = 7200
}

variable "enable_ci" {
  type        = bool
  description = "Create the Cloud Build release pipeline (ci.tf): a releases bucket, the pipeline's service account and two triggers (staging on push, production on approval). Off by default: it needs a connected repository (ci_repository) and is created in one project only, the one that releases to the others."
  default     = false
}

variable "ci_repository" {
  type        = string
  description = "Cloud Build repository (2nd gen) the triggers build: projects/<project>/locations/<region>/connections/<connection>/repositories/<repository>. Create the connection once in the console (it needs an OAuth grant); required when enable_ci."
  default     = ""
}

variable "ci_branch" {
  type        = string
  description = "Branch whose pushes release to staging; the production trigger builds the commit the staging build names."
  default     = "main"
}

variable "ci_repo_type" {
  type        = string
  description = "Host of ci_repository as the production trigger's source names it: GITHUB, GITLAB or BITBUCKET_SERVER."
  default     = "GITHUB"
}

variable "ci_approvers" {
  type        = list(string)
  description = "IAM members (user:…, group:…) who may approve a production rollout (roles/cloudbuild.builds.approver)."
  default     = []
}

variable "ci_state_bucket" {
  type        = string
  description = "Existing GCS bucket (versioned) holding the Terraform state of staging and production (prefixes imgstream/staging and imgstream/production); created once by hand, since the state cannot hold its own bucket. Required when enable_ci."
  default     = ""
}

variable "ci_staging_project_id" {
  type        = string
  description = "Project of the staging environment the pipeline deploys first (may be this project with another name_prefix)."
  default     = ""
}

variable "ci_smoke_key_secret" {
  type        = string
  description = "Secret Manager secret (in the staging project) holding the API key of a staging user the smoke test uploads, fetches and checks collisions as."
  default     = "imgstream-smoke-api-key"
}

variable "ci_rollout_soak_seconds" {
  type        = number
  description = "Seconds the staged rollout waits at 10 % and 50 % before reading the new revisions' 5xx ratio (Cloud Run's request metrics appear up to 3 minutes late, so less than 300 sees little)."
  default     = 600
}

variable "release" {
  type        = string
  description = "Release to deploy: the version (the pipeline uses the commit's short SHA) whose archives are in the sources bucket as releases/<release>/<function>.zip, uploaded before the apply by the pipeline (or by hand) and never deleted by Terraform, so any earlier release can be applied again. Empty: zip the jars built here (function_artifacts_dir) and upload them under their content hash."
  default     = ""
}

variable "release_retention_days" {
  type        = number
  description = "Days the sources bucket keeps release archives (releases/…) and content-hash archives; 0 keeps them for ever. A release older than this can no longer be re-applied without rebuilding it."
  default     = 365
}

variable "all_traffic_on_latest_revision" {
  type        = bool
  description = "Send all traffic to each function's newest revision on every apply (Cloud Functions' allTrafficOnLatestRevision). The pipeline's production apply sets false after pinning traffic to the serving revisions, so the new revisions start without traffic and rollout.sh moves it 10 % -> 50 % -> 100 %. Leave true for hand applies."
  default     = true
}
