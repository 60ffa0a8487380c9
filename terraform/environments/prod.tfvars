project_id                 = "my-imgstream-prod"
region                     = "europe-west1"
environment                = "production"
name_prefix                = "imgstream"
sql_tier                   = "db-custom-2-7680"
sql_availability_type      = "REGIONAL"
sql_deletion_protection    = true
http_invokers              = ["allUsers"]
allowed_origins            = ["https://app.example.com"]
bucket_soft_delete_days    = 7
bucket_nearline_after_days = 90
cleanup_schedule           = "0 * * * *"
sql_max_connections        = 400
# At max scale: 40 x 2 + 100 x 2 + 20 x 2 + 1 x 2 = 322 connections, within 400 - 10.
functions = {
  upload          = { memory = "1Gi", cpu = "1", timeout = 300, min_instances = 1, max_instances = 40, concurrency = 4, db_pool = 2 }
  fetch           = { memory = "512Mi", cpu = "1", timeout = 120, min_instances = 1, max_instances = 100, concurrency = 16, db_pool = 2 }
  collision_check = { memory = "512Mi", cpu = "1", timeout = 60, min_instances = 0, max_instances = 20, concurrency = 16, db_pool = 2 }
  cleanup         = { memory = "512Mi", cpu = "1", timeout = 540, min_instances = 0, max_instances = 1, concurrency = 1, db_pool = 2 }
}
# One front door (terraform/README.md, "One front door"): one base URL with Cloud Armor rate limits; uncomment with
# your domain, apply, then point its A record at `terraform output -raw front_door_ip`.
# enable_front_door = true
# domain            = "api.example.com"
