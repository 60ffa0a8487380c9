terraform {
  # 1.11: write-only arguments (password_wo, secret_data_wo) and ephemeral resources keep the database password out of
  # the state and the plan (secrets.tf, sql.tf).
  required_version = ">= 1.11, < 2.0"

  required_providers {
    # 7.21.0: the first google release with Direct VPC egress of Cloud Run functions (service_config.direct_vpc_egress,
    # direct_vpc_network_interface; functions.tf). An older provider fails at plan.
    google = {
      source  = "hashicorp/google"
      version = ">= 7.21, < 8.0"
    }
    # Only google_project_service_identity (messaging.tf) uses it; kept at the same release as google.
    google-beta = {
      source  = "hashicorp/google-beta"
      version = ">= 7.21, < 8.0"
    }
    # 3.7: the ephemeral random_password (sql.tf).
    random = {
      source  = "hashicorp/random"
      version = ">= 3.7, < 4.0"
    }
    archive = {
      source  = "hashicorp/archive"
      version = ">= 2.4, < 3.0"
    }
    # time_sleep: IAM propagation before the functions read their secret (secrets.tf).
    time = {
      source  = "hashicorp/time"
      version = ">= 0.11, < 1.0"
    }
  }
}

provider "google" {
  project = var.project_id
  region  = var.region
}

provider "google-beta" {
  project = var.project_id
  region  = var.region
}
