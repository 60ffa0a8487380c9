# Staging: where the release pipeline (cloudbuild.yaml) deploys and smoke-tests every release before production.
# Production-like configuration (ENVIRONMENT=production: no development conveniences), small sizes.
project_id              = "my-imgstream-staging"
region                  = "europe-west1"
environment             = "production"
name_prefix             = "imgstream-staging"
sql_tier                = "db-f1-micro"
sql_deletion_protection = false
http_invokers           = ["allUsers"]
allowed_origins         = []
bucket_soft_delete_days = 0
cleanup_schedule        = "*/30 * * * *"
# Nobody is paged for staging; its incidents still open in the console.
notification_channels = []
# db-f1-micro holds few connections: at max scale 5 x 2 + 5 x 2 + 5 x 2 + 1 x 2 = 32, within 50 - 10.
sql_max_connections = 50
functions = {
  upload          = { memory = "1Gi", cpu = "1", timeout = 300, min_instances = 0, max_instances = 5, concurrency = 4, db_pool = 2 }
  fetch           = { memory = "1Gi", cpu = "1", timeout = 120, min_instances = 0, max_instances = 5, concurrency = 16, db_pool = 2 }
  collision_check = { memory = "512Mi", cpu = "1", timeout = 60, min_instances = 0, max_instances = 5, concurrency = 16, db_pool = 2 }
  cleanup         = { memory = "512Mi", cpu = "1", timeout = 540, min_instances = 0, max_instances = 1, concurrency = 1, db_pool = 2 }
}
