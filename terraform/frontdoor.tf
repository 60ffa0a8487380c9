# One front door, behind enable_front_door (default false): a global external Application Load Balancer
# (EXTERNAL_MANAGED, so that route rules can match the method) on one address with a Google-managed certificate for
# var.domain, HTTP redirected to HTTPS, one serverless NEG and backend service per routed function, a URL map generated
# from routes.json (the same table the local gateway reads), and Cloud Armor rate limits on every backend.
# terraform/README.md ("One front door") explains the routing and the rule set. With the flag off every resource here
# has count 0 or an empty for_each, so the plan is what it was without this file.

locals {
  front_door       = var.enable_front_door ? 1 : 0
  front_door_url   = "https://${var.domain}"
  routing_table    = jsondecode(file("${path.module}/routes.json"))
  routed_functions = var.enable_front_door ? toset(distinct([for route in local.routing_table.routes : replace(route.function, "-", "_")])) : toset([])

  # One URL map route rule per routes.json entry, in its order (first match wins: priorities ascend with the order).
  # A method is a header match on the pseudo-header ":method"; "*" matches any method; a CORS preflight entry matches
  # OPTIONS together with the Access-Control-Request-Method it names. Each route rule lists one match rule per method
  # (or per preflighted method): match rules of one route rule are alternatives.
  route_rules = [
    for index, route in local.routing_table.routes : {
      priority = 10 * (index + 1)
      function = replace(route.function, "-", "_")
      matches = [
        for method in try(route.preflight, route.methods) : {
          full_path = try(route.path, null)
          prefix    = try(route.pathPrefix, null)
          headers = can(route.preflight) ? [
            { name = ":method", value = "OPTIONS" },
            { name = "Access-Control-Request-Method", value = method },
          ] : (method == "*" ? [] : [{ name = ":method", value = method }])
        }
      ]
    }
  ]

  # Cloud Armor counts a rate limit per backend service it is attached to, so each routed function's backend gets a
  # share of each limit (rate_limit_shares): the shares sum to at most 1, so across the whole API one client address
  # never exceeds the documented figures. Keyed requests are counted in their own bucket (the per-key limit) and all
  # other requests in the rest of the per-IP limit; README "Cloud Armor" gives the reasoning.
  # Rounded down, so that the sums never exceed the limits; a share too small for a whole request is refused at plan.
  keyed_threshold   = { for key in local.routed_functions : key => floor(var.rate_limit_per_key_per_minute * var.rate_limit_shares[key]) }
  unkeyed_threshold = { for key in local.routed_functions : key => floor((var.rate_limit_per_ip_per_minute - var.rate_limit_per_key_per_minute) * var.rate_limit_shares[key]) }
  # A request carries an API key when it has X-API-Key or an Authorization: Bearer header (Cloud Armor lower-cases
  # header names).
  keyed_request = "has(request.headers['x-api-key']) || (has(request.headers['authorization']) && request.headers['authorization'].lower().startsWith('bearer '))"
}

resource "google_compute_global_address" "front_door" {
  count = local.front_door
  name  = "${var.name_prefix}-front-door"

  depends_on = [google_project_service.apis]

  lifecycle {
    precondition {
      condition     = var.domain != ""
      error_message = "enable_front_door needs domain (the host name the managed certificate is issued for; point its A record at the front_door_ip output)."
    }
  }
}

resource "google_compute_managed_ssl_certificate" "front_door" {
  count = local.front_door
  name  = "${var.name_prefix}-front-door"

  managed {
    domains = [var.domain]
  }

  depends_on = [google_project_service.apis]
}

# A Cloud Run function is a Cloud Run service of the function's name, so its serverless NEG is the cloud_run form
# (Google: "a serverless NEG for Cloud Run can point to a Cloud Run resource or a Cloud Run functions (2nd gen)
# resource"); the cloud_function form names 1st-gen functions. terraform/README.md records the reasoning.
resource "google_compute_region_network_endpoint_group" "function" {
  for_each              = local.routed_functions
  name                  = "${var.name_prefix}-${replace(each.key, "_", "-")}"
  region                = var.region
  network_endpoint_type = "SERVERLESS"

  cloud_run {
    service = google_cloudfunctions2_function.function[each.key].service_config[0].service
  }
}

resource "google_compute_security_policy" "function" {
  for_each    = local.routed_functions
  name        = "${var.name_prefix}-${replace(each.key, "_", "-")}-rate-limits"
  description = "ImgStream ${each.key}: ${local.keyed_threshold[each.key]} keyed + ${local.unkeyed_threshold[each.key]} other requests per client IP per minute (this backend's share of the API-wide limits), 429 beyond."
  type        = "CLOUD_ARMOR"

  # Two throttled tiers, each counted per client address against this backend's share of its limit: requests with an
  # API key (rate_limit_per_key_per_minute), then every other request (the rest of rate_limit_per_ip_per_minute; no
  # key: the API document, /docs, preflights, and requests that will be answered 401). The keyed tier matches by its
  # expression, the other by every source address, as the default rule does.
  dynamic "rule" {
    for_each = [
      { priority = 1000, description = "requests with an API key", expression = local.keyed_request, threshold = local.keyed_threshold },
      { priority = 2000, description = "requests without an API key", expression = null, threshold = local.unkeyed_threshold },
    ]
    content {
      priority    = rule.value.priority
      action      = "throttle"
      description = rule.value.description
      match {
        versioned_expr = rule.value.expression == null ? "SRC_IPS_V1" : null
        dynamic "expr" {
          for_each = rule.value.expression == null ? [] : [rule.value.expression]
          content {
            expression = expr.value
          }
        }
        dynamic "config" {
          for_each = rule.value.expression == null ? [["*"]] : []
          content {
            src_ip_ranges = config.value
          }
        }
      }
      rate_limit_options {
        conform_action = "allow"
        exceed_action  = "deny(429)"
        enforce_on_key = "IP"
        rate_limit_threshold {
          count        = rule.value.threshold[each.key]
          interval_sec = 60
        }
      }
    }
  }

  rule {
    priority    = 2147483647
    action      = "allow"
    description = "default rule (never reached: rule 2000 matches every request)"
    match {
      versioned_expr = "SRC_IPS_V1"
      config {
        src_ip_ranges = ["*"]
      }
    }
  }

  lifecycle {
    precondition {
      condition     = local.keyed_threshold[each.key] >= 1 && local.unkeyed_threshold[each.key] >= 1
      error_message = "rate_limit_shares x the rate limits leaves ${each.key} less than one request a minute: raise its share or the limits."
    }
  }

  depends_on = [google_project_service.apis]
}

resource "google_compute_backend_service" "function" {
  for_each              = local.routed_functions
  name                  = "${var.name_prefix}-${replace(each.key, "_", "-")}"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  protocol              = "HTTPS"
  security_policy       = google_compute_security_policy.function[each.key].id

  backend {
    group = google_compute_region_network_endpoint_group.function[each.key].id
  }

  log_config {
    enable      = true
    sample_rate = 1
  }
}

resource "google_compute_url_map" "front_door" {
  count           = local.front_door
  name            = "${var.name_prefix}-front-door"
  description     = "ImgStream public routes (terraform/routes.json); anything else is a 404."
  default_service = google_compute_backend_service.function["fetch"].id

  host_rule {
    hosts        = ["*"]
    path_matcher = "api"
  }

  path_matcher {
    name = "api"
    # Only reached by requests no route matches; every such request is aborted with 404 by the last route rule, so
    # the default service (required by the API) receives nothing.
    default_service = google_compute_backend_service.function["fetch"].id

    dynamic "route_rules" {
      for_each = local.route_rules
      content {
        priority = route_rules.value.priority
        service  = google_compute_backend_service.function[route_rules.value.function].id

        dynamic "match_rules" {
          for_each = route_rules.value.matches
          content {
            full_path_match = match_rules.value.full_path
            prefix_match    = match_rules.value.prefix

            dynamic "header_matches" {
              for_each = match_rules.value.headers
              content {
                header_name = header_matches.value.name
                exact_match = header_matches.value.value
              }
            }
          }
        }
      }
    }

    # What no route matches (/health, cleanup, unknown paths, unlisted methods) never reaches a function: 404.
    route_rules {
      priority = 100000
      service  = google_compute_backend_service.function["fetch"].id
      match_rules {
        prefix_match = "/"
      }
      route_action {
        fault_injection_policy {
          abort {
            http_status = 404
            percentage  = 100
          }
        }
      }
    }
  }
}

resource "google_compute_target_https_proxy" "front_door" {
  count            = local.front_door
  name             = "${var.name_prefix}-front-door"
  url_map          = google_compute_url_map.front_door[0].id
  ssl_certificates = [google_compute_managed_ssl_certificate.front_door[0].id]
}

# Plain HTTP on the same address answers a permanent redirect to HTTPS (308 keeps the method and body).
resource "google_compute_url_map" "http_redirect" {
  count       = local.front_door
  name        = "${var.name_prefix}-front-door-http"
  description = "ImgStream: HTTP to HTTPS."

  default_url_redirect {
    https_redirect         = true
    redirect_response_code = "PERMANENT_REDIRECT"
    strip_query            = false
  }
}

resource "google_compute_target_http_proxy" "http_redirect" {
  count   = local.front_door
  name    = "${var.name_prefix}-front-door-http"
  url_map = google_compute_url_map.http_redirect[0].id
}

# The address's two listeners: HTTPS to the URL map, HTTP to the redirect.
resource "google_compute_global_forwarding_rule" "front_door" {
  for_each              = var.enable_front_door ? toset(["https", "http"]) : toset([])
  name                  = "${var.name_prefix}-front-door-${each.key}"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  ip_protocol           = "TCP"
  port_range            = { https = "443", http = "80" }[each.key]
  ip_address            = google_compute_global_address.front_door[0].id
  target = {
    https = google_compute_target_https_proxy.front_door[0].id
    http  = google_compute_target_http_proxy.http_redirect[0].id
  }[each.key]
}

# Where the two listeners were separate resources.
moved {
  from = google_compute_global_forwarding_rule.https[0]
  to   = google_compute_global_forwarding_rule.front_door["https"]
}

moved {
  from = google_compute_global_forwarding_rule.http[0]
  to   = google_compute_global_forwarding_rule.front_door["http"]
}
