# The image bucket: uniform access, public access prevention enforced, lifecycle rules, CORS.

resource "google_storage_bucket" "images" {
  name                        = "${var.project_id}-${var.name_prefix}-images"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  labels                      = local.labels

  versioning {
    enabled = var.bucket_versioning
  }

  soft_delete_policy {
    retention_duration_seconds = var.bucket_soft_delete_days * 86400
  }

  # Resumable uploads of crashed functions are never finalised; drop their parts.
  lifecycle_rule {
    condition {
      age = 1
    }
    action {
      type = "AbortIncompleteMultipartUpload"
    }
  }

  dynamic "lifecycle_rule" {
    for_each = var.bucket_nearline_after_days > 0 ? [1] : []
    content {
      condition {
        age                   = var.bucket_nearline_after_days
        matches_storage_class = ["STANDARD"]
      }
      action {
        type          = "SetStorageClass"
        storage_class = "NEARLINE"
      }
    }
  }

  dynamic "lifecycle_rule" {
    for_each = var.bucket_versioning ? [1] : []
    content {
      condition {
        days_since_noncurrent_time = 30
      }
      action {
        type = "Delete"
      }
    }
  }

  dynamic "cors" {
    for_each = length(var.allowed_origins) > 0 ? [1] : []
    content {
      origin          = var.allowed_origins
      method          = ["GET", "HEAD"]
      response_header = ["Content-Type", "Content-Length", "ETag", "Content-Range", "Content-Disposition"]
      max_age_seconds = 3600
    }
  }

  depends_on = [google_project_service.apis]
}
