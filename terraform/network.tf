# A VPC for the functions' egress to Cloud SQL's private IP, with private services access for Cloud SQL.

resource "google_compute_network" "main" {
  name                    = "${var.name_prefix}-vpc"
  auto_create_subnetworks = false

  depends_on = [google_project_service.apis]
}

locals {
  # Direct VPC egress takes the functions' addresses from the subnet: Google estimates 4 addresses per instance
  # (Cloud Run networking best practices: instance count x 4) and reserves them in blocks of 16 (/28) per revision, and
  # during a rollout two revisions of a function hold addresses side by side.
  direct_vpc_addresses_needed = 4 * sum([for sizing in values(var.functions) : sizing.max_instances]) + 16 * 2 * length(var.functions)
  subnet_addresses            = pow(2, 32) / pow(2, tonumber(split("/", var.subnet_cidr)[1]))
}

resource "google_compute_subnetwork" "main" {
  name                     = "${var.name_prefix}-functions"
  region                   = var.region
  network                  = google_compute_network.main.id
  ip_cidr_range            = var.subnet_cidr
  private_ip_google_access = true

  lifecycle {
    precondition {
      # A subnet's first two and last two addresses are Google's.
      condition     = var.vpc_egress != "direct" || local.subnet_addresses >= local.direct_vpc_addresses_needed + 4
      error_message = "subnet_cidr is too small for Direct VPC egress at max_instances: it needs 4 addresses per instance (the sum of functions.*.max_instances) plus 32 per function for two revisions' blocks of 16; widen subnet_cidr (an in-place change) or lower max_instances."
    }
  }
}

resource "google_compute_global_address" "private_services" {
  name          = "${var.name_prefix}-private-services"
  purpose       = "VPC_PEERING"
  address_type  = "INTERNAL"
  prefix_length = 20
  network       = google_compute_network.main.id
}

resource "google_service_networking_connection" "main" {
  network                 = google_compute_network.main.id
  service                 = "servicenetworking.googleapis.com"
  reserved_peering_ranges = [google_compute_global_address.private_services.name]
}

resource "google_vpc_access_connector" "main" {
  count         = var.vpc_egress == "connector" ? 1 : 0
  name          = "${var.name_prefix}-conn"
  region        = var.region
  network       = google_compute_network.main.name
  ip_cidr_range = var.connector_cidr
  min_instances = 2
  max_instances = 3
}
