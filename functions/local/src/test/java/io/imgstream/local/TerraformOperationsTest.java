package io.imgstream.local;

import com.bertramlabs.plugins.hcl4j.HCLParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Operating it (issue 31), the Terraform half: the alert policies the issue lists, each on by default, notifying the
 * channels of a variable, with thresholds from variables and documentation that says what to look at first; the release
 * pipeline behind enable_ci (off by default) with production behind a manual approval; release archives kept by version;
 * and Terraform moving traffic only when told to.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TerraformOperationsTest {

    private static final String POLICY = "google_monitoring_alert_policy";
    private TerraformFiles tf;

    @BeforeAll
    void load() throws Exception {
        tf = TerraformFiles.load();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> conditions(Map<String, Object> policy) {
        Object c = policy.get("conditions");
        return c instanceof List<?> list ? (List<Map<String, Object>>) list : List.of((Map<String, Object>) c);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> threshold(Map<String, Object> condition) {
        return (Map<String, Object>) condition.get("condition_threshold");
    }

    /** Each alert of the issue, by the metric it reads (and for the HTTP functions, one policy per function). */
    @Test
    void everyAlertTheIssueListsWatchesItsMetric() {
        Map<String, List<String>> expected = Map.of(
                "http_5xx_ratio", List.of("local.run_requests.each.key", "response_code_class = \"5xx\""),
                "http_latency_p99", List.of("run.googleapis.com/request_latencies"),
                "http_saturation", List.of("run.googleapis.com/container/instance_count"),
                "cleanup_failing", List.of("logging.googleapis.com/user/google_logging_metric.cleanup_incomplete.name",
                        "run.googleapis.com/request_count"),
                "cleanup_orphans", List.of("logging.googleapis.com/user/google_logging_metric.cleanup_orphans_found.name"),
                "dead_letters", List.of("pubsub.googleapis.com/subscription/num_undelivered_messages",
                        "google_pubsub_subscription.dead_letter.name"),
                "sql_cpu", List.of("cloudsql.googleapis.com/database/cpu/utilization"),
                "sql_disk", List.of("cloudsql.googleapis.com/database/disk/utilization"),
                "cleanup_backlog_age", List.of("pubsub.googleapis.com/topic/oldest_unacked_message_age_by_region",
                        "google_pubsub_topic.cleanup.name"));
        assertEquals(expected.keySet(), tf.resources(POLICY).keySet());
        expected.forEach((name, needles) -> {
            String filters = String.valueOf(conditions(tf.resource(POLICY, name)).stream().map(c -> threshold(c).get("filter")).toList());
            needles.forEach(n -> assertTrue(filters.contains(n), name + " watches " + n + ": " + filters));
        });
        for (String perFunction : List.of("http_5xx_ratio", "http_latency_p99", "http_saturation")) {
            assertEquals("toset(local.http_functions)", forEach(perFunction), perFunction + " is one policy per HTTP function");
        }
        assertTrue(tf.texts.get("iam.tf").contains("http_functions     = [\"upload\", \"fetch\", \"collision_check\"]"));
    }

    private String forEach(String policy) {
        Matcher m = Pattern.compile("for_each\\s*=\\s*(.+)").matcher(tf.resourceText(POLICY, policy));
        return m.find() ? m.group(1).trim() : "";
    }

    @Test
    void everyPolicyIsOnByDefaultNotifiesTheChannelsVariableAndSaysWhatToLookAtFirst() {
        assertEquals(true, tf.variableDefault("alerts_enabled"));
        assertEquals(List.of(), tf.variableDefault("notification_channels"));
        tf.resources(POLICY).forEach((name, policy) -> {
            assertEquals("var.alerts_enabled", String.valueOf(policy.get("enabled")), name);
            assertEquals("var.notification_channels", String.valueOf(policy.get("notification_channels")), name);
            @SuppressWarnings("unchecked")
            Map<String, Object> doc = (Map<String, Object>) policy.get("documentation");
            assertEquals("text/markdown", doc.get("mime_type"), name);
            String content = String.valueOf(doc.get("content"));
            assertTrue(Pattern.compile("Look first at:\\s*\\n\\s*1\\. \\S").matcher(content).find(),
                    name + " says what to look at first: " + content);
            assertTrue(content.length() > 300, name + " documentation is substantive");
        });
    }

    /** No threshold is a literal, except "more than none" where the issue asks for > 0. */
    @Test
    void everyThresholdComesFromAVariable() {
        // Read from the text: hcl4j evaluates "-0.5 + var.x" to -0.5.
        Set<String> zeroByDesign = Set.of("dead_letters", "cleanup_failing");
        List<String> literal = new ArrayList<>();
        for (String name : tf.resources(POLICY).keySet()) {
            Matcher m = Pattern.compile("threshold_value\\s*=\\s*(.+)").matcher(tf.resourceText(POLICY, name));
            while (m.find()) {
                String value = m.group(1).trim();
                if (!value.contains("var.")) {
                    literal.add(name + "=" + value);
                    assertEquals("0", value, name);
                    assertTrue(zeroByDesign.contains(name), name + " has a literal threshold " + value);
                }
            }
        }
        assertEquals(2, literal.size(), String.valueOf(literal));
        assertEquals(0.01, ((Number) tf.variableDefault("alert_5xx_ratio")).doubleValue(), "5xx above 1 %");
        @SuppressWarnings("unchecked")
        Map<String, Object> latency = (Map<String, Object>) tf.variableDefault("alert_latency_p99_ms");
        assertEquals(Set.of("upload", "fetch", "collision_check"), latency.keySet(), "a p99 threshold per HTTP function");
        String saturation = tf.resourceText(POLICY, "http_saturation");
        assertTrue(saturation.contains("threshold_value         = -0.5 + var.functions[each.key].max_instances"),
                "saturation is each function's own max_instances: " + saturation);
        for (String variable : List.of("alert_5xx_ratio", "alert_latency_p99_ms", "alert_saturation_minutes",
                "alert_cleanup_incomplete_runs", "alert_orphan_runs", "alert_sql_cpu_utilization", "alert_sql_disk_utilization",
                "alert_cleanup_message_age_seconds")) {
            assertTrue(Files.exists(TerraformFiles.MODULE.resolve("README.md")));
            assertTrue(readme().contains("`" + variable + "`"), "terraform/README.md gives the reasoning for " + variable);
        }
    }

    /** The 5xx alert is a ratio over 5 minutes: 5xx responses over all responses of the same function. */
    @Test
    void theFiveHundredsAlertIsARatioOverFiveMinutes() {
        Map<String, Object> condition = threshold(conditions(tf.resource(POLICY, "http_5xx_ratio")).get(0));
        assertEquals("local.run_requests.each.key", String.valueOf(condition.get("denominator_filter")));
        assertTrue(String.valueOf(condition.get("filter")).startsWith("local.run_requests.each.key"), String.valueOf(condition));
        assertEquals("var.alert_5xx_ratio", String.valueOf(condition.get("threshold_value")));
        String text = tf.resourceText(POLICY, "http_5xx_ratio");
        assertEquals(2, text.split("alignment_period     = \"300s\"", -1).length - 1, "numerator and denominator over 5 minutes");
        assertTrue(tf.texts.get("monitoring.tf").contains("resource.labels.service_name = %q AND metric.type = %q\", \"cloud_run_revision\", name,"
                + " \"run.googleapis.com/request_count\")"));
    }

    private static String readme() {
        try {
            return Files.readString(TerraformFiles.MODULE.resolve("README.md"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The pipeline exists only when asked for, and production only after a person approves. */
    @Test
    void thePipelineIsBehindEnableCiAndProductionBehindAnApproval() {
        assertEquals(false, tf.variableDefault("enable_ci"));
        assertTrue(tf.texts.get("ci.tf").contains("ci_count = var.enable_ci ? 1 : 0"));
        List<String> ciResources = tf.resourceHeaders("ci.tf");
        assertTrue(ciResources.size() >= 7, String.valueOf(ciResources));
        Pattern gated = Pattern.compile("\\n  count\\s*=\\s*(local\\.ci_count|length\\(local\\.ci_role_pairs\\)|var\\.enable_ci \\?)");
        for (String resource : ciResources) {
            String[] typeName = resource.split("\\.");
            String text = tf.resourceText(typeName[0], typeName[1]);
            assertTrue(gated.matcher(text).find(), resource + " exists only with enable_ci: " + text);
        }
        assertTrue(tf.texts.get("ci.tf").contains("ci_projects   = var.enable_ci ? distinct("), "no roles without enable_ci");
        Map<String, Object> production = tf.resource("google_cloudbuild_trigger", "production");
        assertEquals(Map.of("approval_required", true), production.get("approval_config"));
        assertFalse(tf.resource("google_cloudbuild_trigger", "staging").containsKey("approval_config"), "staging needs no approval");
        @SuppressWarnings("unchecked")
        Map<String, Object> file = (Map<String, Object>) production.get("git_file_source");
        assertEquals("cloudbuild.yaml", file.get("path"));
        assertEquals("cloudbuild.yaml", tf.resource("google_cloudbuild_trigger", "staging").get("filename"));
        assertTrue(tf.resourceText("google_cloudbuild_trigger", "staging").contains("{ _TARGET = \"staging\" }"));
        assertTrue(tf.resourceText("google_cloudbuild_trigger", "production").contains("{ _TARGET = \"production\" }"));
        assertTrue(tf.resourceText("google_project_iam_member", "ci_approvers").contains("roles/cloudbuild.builds.approver"));
    }

    /**
     * Release archives are named by version and are not Terraform's (so an apply never deletes them); without a release
     * the jars built here are uploaded under their content hash as before; the source bucket keeps them for
     * release_retention_days.
     */
    @Test
    void releaseArchivesAreKeptByVersionAndCanBeAppliedAgain() {
        assertEquals("", tf.variableDefault("release"));
        String functions = tf.texts.get("functions.tf");
        assertTrue(functions.contains("for_each    = var.release == \"\" ? local.function_specs : {}"), "archive_file only without a release");
        assertTrue(functions.contains("for_each = var.release == \"\" ? local.function_specs : {}"), "hash objects only without a release");
        assertTrue(functions.contains("format(\"releases/%s/%s.zip\", var.release, key)"));
        assertTrue(tf.resourceText("google_storage_bucket", "sources").contains("age = var.release_retention_days"));
        assertFalse(tf.resourceText("google_storage_bucket", "sources").contains("age = 90"), "no fixed 90-day deletion any more");
        assertEquals(365, ((Number) tf.variableDefault("release_retention_days")).intValue());
        assertTrue(tf.resourceText("google_storage_bucket", "releases").contains("enabled = true"), "the release store is versioned");
    }

    /** Terraform sends traffic to the newest revision unless the pipeline's production apply says otherwise. */
    @Test
    void terraformMovesTrafficOnlyWhenToldTo() {
        assertEquals(true, tf.variableDefault("all_traffic_on_latest_revision"));
        assertTrue(tf.texts.get("functions.tf").contains("all_traffic_on_latest_revision   = var.all_traffic_on_latest_revision"));
    }

    /** Every shipped environment sets only variables the module declares, and fits its PostgreSQL connections. */
    @Test
    @SuppressWarnings("unchecked")
    void everyEnvironmentFileSetsDeclaredVariablesAndFitsTheConnections() throws Exception {
        List<String> files;
        try (var s = Files.list(TerraformFiles.MODULE.resolve("environments"))) {
            files = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tfvars")).sorted().toList();
        }
        assertEquals(List.of("dev.tfvars", "prod.tfvars", "staging.tfvars"), files);
        for (String file : files) {
            Map<String, Object> values = new HashMap<>(new HCLParser().parse(TerraformFiles.MODULE.resolve("environments/" + file).toFile(),
                    "UTF-8"));
            for (String name : values.keySet()) {
                assertTrue(tf.variables.containsKey(name), file + " sets " + name + ", which variables.tf does not declare");
            }
            Map<String, Map<String, Object>> functions = (Map<String, Map<String, Object>>) values.getOrDefault("functions",
                    tf.variableDefault("functions"));
            long connections = functions.values().stream().mapToLong(f -> ((Number) f.get("max_instances")).longValue()
                    * ((Number) f.get("db_pool")).longValue()).sum();
            long max = ((Number) values.getOrDefault("sql_max_connections", tf.variableDefault("sql_max_connections"))).longValue();
            assertTrue(connections + 10 <= max, file + ": " + connections + " connections at max scale, max_connections " + max);
        }
    }

    /** The outputs the scripts read (rollback.sh, rollout.sh, smoke-test.sh, pipeline-terraform.sh) exist. */
    @Test
    void theOutputsTheScriptsReadExist() throws Exception {
        for (String script : List.of("rollback.sh", "rollout.sh", "smoke-test.sh", "scripts/revisions.sh", "scripts/pipeline-terraform.sh")) {
            Matcher m = Pattern.compile("\\$\\((?:tf_output|out|terraform output)(?: -raw| -json)? ([a-z_]+)")
                    .matcher(Files.readString(TerraformFiles.MODULE.resolve(script)));
            while (m.find()) {
                assertTrue(tf.outputs.containsKey(m.group(1)), script + " reads the output " + m.group(1));
            }
        }
        assertTrue(tf.outputs.keySet().containsAll(Set.of("project_id", "region", "function_services", "sources_bucket", "dashboard_url")));
    }
}
