package io.imgstream.local;

import io.imgstream.dev.Command;
import io.imgstream.dev.Command.Result;
import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.imgstream.dev.Command.onPath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * terraform/ checked offline against the google and google-beta providers' schemas, with the front door off and on
 * ({@code terraform validate} needs the providers, which cannot be downloaded here). The checker,
 * {@code src/test/terraform-check/check.mjs}, reads the schemas from @cdktf/provider-google(-beta), bindings generated
 * from the providers' own schema (versions pinned in its package.json and package-lock.json), and parses the module with
 * @cdktf/hcl2json, HashiCorp's HCL parser. It flags unknown resource types, unknown arguments and blocks at any depth,
 * missing required ones and computed-only attributes that are set. Skipped, with the reason, where Node or npm is
 * absent or the packages cannot be installed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TerraformSchemaCheckTest {

    private static final Path SOURCE = Path.of("src", "test", "terraform-check");
    private Path checker;

    @BeforeAll
    void install() throws Exception {
        assumeTrue(onPath("node") && onPath("npm"), "Node and npm are not installed: the offline Terraform schema check"
                + " (src/test/terraform-check/check.mjs) cannot run");
        checker = Path.of("target", "terraform-check").toAbsolutePath();
        Files.createDirectories(checker);
        for (String name : List.of("package.json", "package-lock.json", ".npmrc", "check.mjs", "overlay.json")) {
            Files.copy(SOURCE.resolve(name), checker.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isDirectory(checker.resolve("node_modules/@cdktf/provider-google-beta"))
                || !Files.isDirectory(checker.resolve("node_modules/@cdktf/hcl2json"))) {
            Result install = run(List.of("npm", "ci", "--loglevel=error"), 600);
            assumeTrue(install.code() == 0, "npm ci of the Terraform schema check failed (offline?): " + install.output());
        }
    }

    private Result run(List<String> command, int seconds) throws Exception {
        return Command.run(checker, command, seconds);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> check(Path module, String... flags) throws Exception {
        List<String> command = new ArrayList<>(List.of("node", "check.mjs", module.toString()));
        command.addAll(List.of(flags));
        Result result = run(command, 120);
        int json = result.output().indexOf('{');
        assertTrue(json >= 0, "the checker printed its report: " + result.output());
        Map<String, Object> report = JsonMapper.createDefault().readValue(result.output().substring(json), Map.class);
        report.put("exit", result.code());
        return report;
    }

    @SuppressWarnings("unchecked")
    private static List<String> list(Map<String, Object> report, String key) {
        return (List<String>) report.get(key);
    }

    /** "type.name" of every resource frontdoor.tf declares. */
    private static Set<String> frontDoorResources() throws Exception {
        Matcher m = Pattern.compile("(?m)^resource \"([a-z0-9_]+)\" \"([a-z0-9_]+)\"")
                .matcher(Files.readString(TerraformFiles.MODULE.resolve("frontdoor.tf")));
        Set<String> found = new HashSet<>();
        while (m.find()) {
            found.add(m.group(1) + "." + m.group(2));
        }
        return found;
    }

    @Test
    @SuppressWarnings("unchecked")
    void theModuleMatchesTheProvidersSchemasWithTheFrontDoorOffAndOn() throws Exception {
        Set<String> frontDoor = frontDoorResources();
        assertTrue(frontDoor.size() >= 10, "the front door's resources: " + frontDoor);
        Map<String, Object> off = check(TerraformFiles.MODULE, "--var", "enable_front_door=false");
        Map<String, Object> on = check(TerraformFiles.MODULE, "--var", "enable_front_door=true", "--var", "domain=api.example.com");
        for (Map<String, Object> report : List.of(off, on)) {
            assertEquals(List.of(), list(report, "problems"), "no schema problems");
            assertEquals(0, report.get("exit"));
            assertTrue(list(report, "checked").size() >= 70, "every google resource is checked: " + list(report, "checked"));
            assertTrue(list(report, "checked").containsAll(frontDoor), "the front door's resources are checked in both modes");
            Map<String, Map<String, Object>> providers = (Map<String, Map<String, Object>>) report.get("providers");
            assertEquals("6.50.0", providers.get("google").get("schema"));
            assertEquals("6.50.0", providers.get("google-beta").get("schema"));
        }
        // Off, nothing of the front door would be planned, and everything else is what it is with the front door on.
        assertTrue(list(off, "inactive").containsAll(frontDoor), "every front door resource is gated: " + list(off, "active"));
        assertTrue(list(on, "active").containsAll(frontDoor), "on, the front door is planned: " + list(on, "inactive"));
        Set<String> offActive = new HashSet<>(list(off, "active"));
        Set<String> onActive = new HashSet<>(list(on, "active"));
        onActive.removeAll(frontDoor);
        assertEquals(onActive, offActive, "the front door adds only its own resources");
    }

    /** The fields newer than the bindings are accepted only because versions.tf excludes the providers without them. */
    @Test
    @SuppressWarnings("unchecked")
    void newerFieldsAreAcceptedOnlyWhenVersionsTfExcludesOlderProviders(@TempDir Path dir) throws Exception {
        Map<String, Object> module = check(TerraformFiles.MODULE);
        List<Map<String, Object>> overlay = (List<Map<String, Object>>) module.get("overlay");
        assertTrue(overlay.stream().anyMatch(f -> String.valueOf(f.get("field")).contains("direct_vpc_egress")
                && "7.21.0".equals(f.get("since")) && Boolean.TRUE.equals(f.get("applied"))), "the overlay is used: " + overlay);

        Files.writeString(dir.resolve("versions.tf"), Files.readString(TerraformFiles.MODULE.resolve("versions.tf"))
                .replace(">= 7.21, < 8.0", ">= 6.40, < 8.0"));
        Files.copy(TerraformFiles.MODULE.resolve("functions.tf"), dir.resolve("functions.tf"));
        Map<String, Object> older = check(dir);
        assertEquals(1, older.get("exit"));
        List<String> newer = list(older, "problems").stream().filter(p -> p.contains("direct_vpc")).toList();
        assertEquals(2, newer.size(), String.valueOf(list(older, "problems")));
        assertTrue(newer.stream().allMatch(p -> p.contains("brought by google 7.21.0")), String.valueOf(newer));
    }

    /** Each kind of mistake is caught, and nothing that Terraform itself accepts is flagged. */
    @Test
    void theCheckCatchesDeliberateMistakesAndNothingElse(@TempDir Path dir) throws Exception {
        Files.copy(TerraformFiles.MODULE.resolve("versions.tf"), dir.resolve("versions.tf"));
        Files.writeString(dir.resolve("mistakes.tf"), """
                variable "on" {
                  type        = bool
                  description = "a variable"
                  default     = false
                }

                locals {
                  names = ["a", "b"]
                }

                resource "google_compute_bucket" "unknown_type" {
                  name = "x"
                }

                resource "google_storage_bucket" "typo" {
                  name    = "x"
                  locaton = "EU"
                }

                resource "google_storage_bucket" "block_as_argument" {
                  name       = "x"
                  location   = "EU"
                  versioning = { enabled = true }
                }

                resource "google_compute_global_address" "computed" {
                  name      = "x"
                  self_link = "https://example.com/x"
                }

                resource "google_compute_url_map" "deep" {
                  name = "x"
                  path_matcher {
                    name = "p"
                    route_rules {
                      priority = 1
                      match_rules {
                        prefix_match = "/"
                        header_matchs {
                          header_name = ":method"
                        }
                      }
                    }
                  }
                }

                resource "google_compute_security_policy" "dynamic_content" {
                  name = "x"
                  dynamic "rule" {
                    for_each = local.names
                    content {
                      priority = 1
                      action   = "allow"
                      acton    = "deny"
                      match {
                        versioned_expr = "SRC_IPS_V1"
                        config {
                          src_ip_ranges = ["*"]
                        }
                      }
                    }
                  }
                }

                data "google_projekt" "unknown_data" {}

                # None of what follows is a mistake.
                resource "google_storage_bucket" "fine" {
                  count    = var.on ? 1 : 0
                  name     = "x-${count.index}"
                  location = "EU"
                  provider = google

                  dynamic "lifecycle_rule" {
                    for_each = local.names
                    iterator = each_rule
                    content {
                      condition {
                        age = 1
                      }
                      action {
                        type = "Delete"
                      }
                    }
                  }

                  lifecycle {
                    prevent_destroy = false
                    precondition {
                      condition     = var.on == false
                      error_message = "x"
                    }
                  }

                  timeouts {
                    create = "10m"
                  }

                  depends_on = [google_storage_bucket.typo]
                }

                resource "google_project_service_identity" "beta_only" {
                  provider = google-beta
                  service  = "pubsub.googleapis.com"
                }

                output "fine" {
                  description = "an output"
                  value       = google_storage_bucket.typo.name
                }
                """);
        Map<String, Object> report = check(dir);
        assertEquals(1, report.get("exit"), "mistakes fail the check");
        assertEquals(Set.of(
                "google_compute_bucket.unknown_type: no resource type \"google_compute_bucket\" in google 6.50.0",
                "google_storage_bucket.typo: no such argument or block \"locaton\"",
                "google_storage_bucket.typo: required \"location\" is not set",
                "google_storage_bucket.block_as_argument: \"versioning\" is a block, written as an argument (versioning = ...)",
                "google_compute_global_address.computed: \"self_link\" is computed by the provider and cannot be set",
                "google_compute_url_map.deep.path_matcher.route_rules.match_rules: no such argument or block \"header_matchs\"",
                "google_compute_security_policy.dynamic_content.rule: no such argument or block \"acton\"",
                "data.google_projekt.unknown_data: no data source type \"google_projekt\" in google 6.50.0"),
                Set.copyOf(list(report, "problems")));
        assertTrue(list(report, "checked").containsAll(List.of("google_storage_bucket.fine", "google_project_service_identity.beta_only")));
        assertEquals(List.of("google_storage_bucket.fine"), list(report, "inactive"), "count = var.on ? 1 : 0 with on = false");
    }
}
