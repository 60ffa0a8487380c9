package io.imgstream.local;

import com.bertramlabs.plugins.hcl4j.HCLParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The wiring of terraform/ checked offline (terraform validate needs providers this machine cannot
 * download): every .tf parses; variables and outputs are documented; functions, service accounts, SQL,
 * bucket, scheduler and dead-letter policy are wired as docs/api.md and docs/decisions.md describe; and the environment
 * variables Terraform sets are the ones the code reads.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TerraformStructureTest {

    private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
    private final Map<String, Map<String, Map<String, Object>>> resources = new HashMap<>();
    private final Map<String, Map<String, Object>> variables = new HashMap<>();
    private final Map<String, Map<String, Object>> outputs = new HashMap<>();
    private final Map<String, Object> locals = new HashMap<>();

    @BeforeAll
    @SuppressWarnings("unchecked")
    void parse() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(ROOT.resolve("terraform"))) {
            files = s.filter(p -> p.toString().endsWith(".tf")).sorted().toList();
        }
        assertTrue(files.size() >= 11, "files split by concern");
        for (Path file : files) {
            Map<String, Object> hcl = new HCLParser().parse(file.toFile(), "UTF-8");
            ((Map<String, Map<String, Map<String, Object>>>) hcl.getOrDefault("resource", Map.of())).forEach(
                    (type, byName) -> resources.computeIfAbsent(type, t -> new HashMap<>()).putAll(byName));
            variables.putAll((Map<String, Map<String, Object>>) hcl.getOrDefault("variable", Map.of()));
            outputs.putAll((Map<String, Map<String, Object>>) hcl.getOrDefault("output", Map.of()));
            Object fileLocals = hcl.getOrDefault("locals", Map.of());
            if (fileLocals instanceof List<?> blocks) {
                blocks.forEach(b -> locals.putAll((Map<String, Object>) b));
            } else {
                locals.putAll((Map<String, Object>) fileLocals);
            }
        }
    }

    private Map<String, Object> resource(String type, String name) {
        Map<String, Object> r = resources.getOrDefault(type, Map.of()).get(name);
        assertNotNull(r, type + "." + name);
        return r;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> block(Map<String, Object> parent, String name) {
        Object b = parent.get(name);
        assertNotNull(b, "block " + name);
        return (Map<String, Object>) b;
    }

    @Test
    void everyFileIsNamedByConcern() {
        for (String f : List.of("versions", "variables", "outputs", "functions", "sql", "storage", "messaging",
                "scheduler", "iam", "network", "secrets")) {
            assertTrue(Files.exists(ROOT.resolve("terraform/" + f + ".tf")), f + ".tf");
        }
        assertTrue(Files.exists(ROOT.resolve("terraform/environments/dev.tfvars")));
        assertTrue(Files.exists(ROOT.resolve("terraform/environments/prod.tfvars")));
        assertTrue(Files.exists(ROOT.resolve("terraform/README.md")));
    }

    @Test
    void everyVariableIsTypedAndDescribedAndProjectHasNoDefault() {
        assertFalse(variables.isEmpty());
        variables.forEach((name, v) -> {
            assertTrue(v.containsKey("type"), name + " has a type");
            assertTrue(String.valueOf(v.get("description")).length() > 10, name + " is described");
        });
        assertFalse(variables.get("project_id").containsKey("default"), "no default project");
    }

    @Test
    void everyOutputIsDescribedAndTheFunctionUrlsAreOutputs() {
        outputs.forEach((name, o) -> assertTrue(String.valueOf(o.get("description")).length() > 10, name));
        assertTrue(outputs.keySet().containsAll(Set.of("upload_url", "fetch_url", "collision_check_url",
                "cleanup_topic", "events_topic", "images_bucket", "sql_connection_name")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void functionsUseTheRealEntryPointsAndJava17() throws IOException {
        Map<String, Object> specs = (Map<String, Object>) locals.get("function_specs");
        assertEquals(Set.of("upload", "fetch", "collision_check", "cleanup"), specs.keySet());
        for (String http : List.of("upload", "fetch", "collision_check")) {
            assertEquals("io.imgstream.web.ImgStreamHttpFunction", ((Map<String, Object>) specs.get(http)).get("entry_point"));
        }
        String cleanupEntry = (String) ((Map<String, Object>) specs.get("cleanup")).get("entry_point");
        Path cleanupSource = ROOT.resolve("functions/cleanup/src/main/java/" + cleanupEntry.replace('.', '/') + ".java");
        assertTrue(Files.exists(cleanupSource), "the cleanup entry point exists: " + cleanupSource);
        // Deployed, cleanup is the HTTP function the cleanup subscription pushes to, running CleanupFunction's job.
        assertEquals("io.imgstream.cleanup.CleanupPushFunction", cleanupEntry);
        assertTrue(Files.readString(cleanupSource).contains("extends GoogleFunctionInitializer implements HttpFunction")
                && Files.readString(cleanupSource).contains("CleanupMessage.read(messageId, encoded)"));
        Map<String, Object> fn = resource("google_cloudfunctions2_function", "function");
        assertEquals("java17", block(fn, "build_config").get("runtime"));
        // Cleanup is pushed to by the cleanup subscription (no Eventarc trigger, whose subscription Terraform cannot own).
        assertFalse(String.valueOf(fn).contains("event_trigger"), "no Eventarc trigger: " + fn);
        Map<String, Object> push = block(resource("google_pubsub_subscription", "cleanup"), "push_config");
        assertTrue(Files.readString(ROOT.resolve("terraform/messaging.tf"))
                .contains("push_endpoint = google_cloudfunctions2_function.function[\"cleanup\"].service_config[0].uri"), String.valueOf(push));
        assertEquals("google_service_account.cleanup_push.email", String.valueOf(block(push, "oidc_token").get("service_account_email")));
        assertEquals("google_pubsub_topic.cleanup.id", String.valueOf(resource("google_pubsub_subscription", "cleanup").get("topic")));
        String source = String.valueOf(block(block(fn, "build_config"), "source"));
        assertTrue(source.contains("local.function_source_objects"), source);
        // Without a release, the jar built here under its content hash; with one, the release's archive (issue 31).
        assertTrue(Files.readString(ROOT.resolve("terraform/functions.tf")).contains("function_source_objects = var.release == \"\""
                + " ? { for key, object in google_storage_bucket_object.function : key => object.name }"
                + " : { for key, spec in local.function_specs : key => format(\"releases/%s/%s.zip\", var.release, key) }"));
        String objectName = String.valueOf(resource("google_storage_bucket_object", "function").get("name"));
        assertTrue(objectName.contains("output_sha256"), "source objects are named by content hash: " + objectName);
    }

    @Test
    void eachFunctionRunsAsItsOwnServiceAccount() {
        Map<String, Object> fn = resource("google_cloudfunctions2_function", "function");
        assertEquals("google_service_account.function.each.key.email", // hcl4j renders [each.key] as .each.key
                String.valueOf(block(fn, "service_config").get("service_account_email")));
        Map<String, Object> sa = resource("google_service_account", "function");
        assertEquals("local.function_specs", String.valueOf(sa.get("for_each")));
        assertTrue(String.valueOf(sa).contains("account_id="), "one account per function key: " + sa);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theEnvironmentTerraformSetsIsWhatTheCodeReads() throws IOException {
        Set<String> read = new HashSet<>();
        Matcher m = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*):").matcher(
                Files.readString(ROOT.resolve("shared/src/main/resources/application.properties")));
        while (m.find()) {
            read.add(m.group(1));
        }
        Set<String> set = ((Map<String, Object>) locals.get("common_env")).keySet();
        Set<String> notConfiguration = Set.of("JAVA_TOOL_OPTIONS", "GOOGLE_CLOUD_PROJECT", "LOG_LEVEL");
        for (String name : set) {
            assertTrue(read.contains(name) || notConfiguration.contains(name), name + " is read by the code");
        }
        assertTrue(set.containsAll(Set.of("ENVIRONMENT", "INSTANCE_CONNECTION_NAME", "DB_NAME", "DB_USER",
                "GCS_BUCKET_NAME", "EVENTS_TOPIC", "MAX_UPLOAD_BYTES", "MAX_IMAGE_PIXELS", "COLLISION_DETECTION_BATCH_SIZE",
                "MONITORING_ENABLED", "MONITORING_EVENT_RETENTION_DAYS", "DELETED_RETENTION_HOURS", "ALLOWED_ORIGINS", "FETCH_URL",
                "DB_CONNECT_TIMEOUT_SECONDS", "DB_SOCKET_TIMEOUT_SECONDS", "DB_STATEMENT_TIMEOUT_MS")),
                "every wait on Cloud SQL is bounded as configured");
        String secret = String.valueOf(block(resource("google_cloudfunctions2_function", "function"), "service_config")
                .get("secret_environment_variables"));
        assertTrue(secret.contains("DB_PASSWORD") && read.contains("DB_PASSWORD"), "the password comes from Secret Manager");
    }

    @Test
    void theSchedulerPublishesToTheCleanupTopic() {
        Map<String, Object> job = resource("google_cloud_scheduler_job", "cleanup");
        assertEquals("google_pubsub_topic.cleanup.id", String.valueOf(block(job, "pubsub_target").get("topic_name")));
        assertEquals("var.cleanup_schedule", String.valueOf(job.get("schedule")));
        assertEquals("0 * * * *", String.valueOf(variables.get("cleanup_schedule").get("default")), "hourly by default");
    }

    /** The log-based metrics filter on fields the cleanup summary really has (a renamed field would count nothing). */
    @Test
    void theCleanupMetricsFilterOnFieldsTheSummaryLogs() throws Exception {
        String summary = io.micronaut.json.JsonMapper.createDefault().writeValueAsString(new io.imgstream.application.cleanup
                .CleanupReport(true, false, false, 5, Map.of(io.imgstream.application.cleanup.CleanupTask.ORPHAN_OBJECTS.wireName(), 2L)));
        io.micronaut.json.tree.JsonNode logged = io.imgstream.json.StrictJson.read(summary.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String filters = locals.get("cleanup_log_filter") + " "
                + resource("google_logging_metric", "cleanup_incomplete").get("filter") + " "
                + resource("google_logging_metric", "cleanup_orphans_found").get("filter");
        java.util.regex.Matcher field = java.util.regex.Pattern.compile("jsonPayload\\.cleanup\\.([A-Za-z_.]+)").matcher(filters);
        int checked = 0;
        while (field.find()) {
            io.micronaut.json.tree.JsonNode node = logged;
            for (String part : field.group(1).split("\\.")) {
                node = node.get(part);
                assertNotNull(node, field.group(1) + " is not in the summary " + summary);
            }
            checked++;
        }
        assertTrue(checked >= 3, filters);
        assertTrue(Files.readString(ROOT.resolve("shared/src/main/java/io/imgstream/application/cleanup/RunCleanup.java"))
                .contains("new JsonPayload(\"cleanup\", toJson(report))"), "the summary is logged as jsonPayload.cleanup");
    }

    /** The emulator (and the benchmarks, through the same Deployment reader) run Terraform's functions with its options. */
    @Test
    @SuppressWarnings("unchecked")
    void theEmulatorsFunctionsAndJavaOptionsAreTerraforms() {
        Map<String, Object> defaults = (Map<String, Object>) variables.get("java_tool_options").get("default");
        List<LocalEmulator.FunctionSpec> specs = LocalEmulator.functions(9000);
        assertEquals(List.of("upload", "fetch", "collision-check", "cleanup"),
                specs.stream().map(LocalEmulator.FunctionSpec::module).toList());
        assertEquals(List.of(9000, 9001, 9002, 9003), specs.stream().map(LocalEmulator.FunctionSpec::port).toList());
        for (LocalEmulator.FunctionSpec spec : specs) {
            assertEquals(String.valueOf(defaults.get(spec.module().replace('-', '_'))), spec.defaultJavaOptions(),
                    spec.module());
        }
    }

    /**
     * Google's Java launcher gives a function 70 % of its instance memory as heap only while JAVA_TOOL_OPTIONS is unset;
     * Terraform sets it, so it must size the heap itself, or the JVM keeps its 25 % default (a 128 MiB heap on 512 MiB).
     * Checked in the module and then with the JVM itself, each function's own options after the sizing.
     */
    @Test
    @SuppressWarnings("unchecked")
    void everyFunctionKeepsTheLaunchersHeapSizing() throws Exception {
        String env = Files.readString(ROOT.resolve("terraform/functions.tf"));
        assertTrue(env.contains("-XX:MaxRAM=${local.jvm_max_ram[each.key]} -XX:MaxRAMPercentage=70 ${var.java_tool_options[each.key]}"),
                "the sizing, first, so that java_tool_options may override it: " + env);
        assertTrue(Files.readString(ROOT.resolve("terraform/main.tf")).contains("jvm_max_ram = { for key, sizing in var.functions"
                + " : key => lower(replace(replace(sizing.memory, \"Gi\", \"g\"), \"Mi\", \"m\")) }"), "the instance memory of each function");
        Map<String, Object> options = (Map<String, Object>) variables.get("java_tool_options").get("default");
        Map<String, Map<String, Object>> functions = (Map<String, Map<String, Object>>) variables.get("functions").get("default");
        for (String key : List.of("upload", "fetch", "collision_check", "cleanup")) {
            String memory = String.valueOf(functions.get(key).get("memory"));
            long bytes = Long.parseLong(memory.replaceAll("\\D", "")) << (memory.endsWith("Gi") ? 30 : 20);
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:MaxRAM=" + bytes, "-XX:MaxRAMPercentage=70"));
            command.addAll(List.of(String.valueOf(options.get(key)).split(" ")));
            command.addAll(List.of("-XX:+PrintFlagsFinal", "-version"));
            Process jvm = new ProcessBuilder(command).redirectErrorStream(true).start();
            String flags = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, jvm.waitFor(), flags);
            Matcher heap = Pattern.compile("\\bMaxHeapSize\\s*=\\s*(\\d+)").matcher(flags);
            assertTrue(heap.find(), flags);
            assertTrue(Long.parseLong(heap.group(1)) >= bytes * 6 / 10, key + ": a heap of " + heap.group(1) + " of " + bytes);
        }
    }

    /**
     * A burst that scales every function to max_instances must not exhaust PostgreSQL's connections (then every function
     * fails at once): the plan is refused unless the sum of max_instances × db_pool leaves 10 free, and every shipped
     * environment passes that check. Each instance's pool is its db_pool (DB_MAX_POOL_SIZE).
     */
    @Test
    @SuppressWarnings("unchecked")
    void everyFunctionAtMaxScaleFitsInTheDatabasesConnections() throws Exception {
        assertTrue(Files.readString(ROOT.resolve("terraform/functions.tf"))
                .contains("DB_MAX_POOL_SIZE  = tostring(var.functions[each.key].db_pool)"), "each instance's pool is its db_pool");
        String sql = Files.readString(ROOT.resolve("terraform/sql.tf"));
        assertTrue(sql.contains("value = tostring(var.sql_max_connections)"), "max_connections comes from the variable");
        assertTrue(sql.contains("condition     = local.db_connections_at_max_scale + 10 <= var.sql_max_connections"), sql);
        assertTrue(Files.readString(ROOT.resolve("terraform/main.tf")).contains(
                "db_connections_at_max_scale = sum([for sizing in values(var.functions) : sizing.max_instances * sizing.db_pool])"));
        Map<String, Object> defaults = new HashMap<>();
        defaults.put("functions", variables.get("functions").get("default"));
        defaults.put("sql_max_connections", variables.get("sql_max_connections").get("default"));
        Map<String, Map<String, Object>> environments = new HashMap<>(Map.of("defaults", defaults));
        for (String env : List.of("dev", "prod")) {
            Map<String, Object> values = new HashMap<>(defaults);
            values.putAll(new HCLParser().parse(ROOT.resolve("terraform/environments/" + env + ".tfvars").toFile(), "UTF-8"));
            environments.put(env, values);
        }
        environments.forEach((name, values) -> {
            Map<String, Map<String, Object>> functions = (Map<String, Map<String, Object>>) values.get("functions");
            assertEquals(Set.of("upload", "fetch", "collision_check", "cleanup"), functions.keySet(), name);
            long connections = functions.values().stream().mapToLong(f -> ((Number) f.get("max_instances")).longValue()
                    * ((Number) f.get("db_pool")).longValue()).sum();
            long max = ((Number) values.get("sql_max_connections")).longValue();
            assertTrue(connections + 10 <= max, name + ": " + connections + " connections at max scale, max_connections " + max);
        });
    }

    /** The dead-letter policy is a Terraform resource (no gcloud at apply), with the service agent's grants on it only. */
    @Test
    void theDeadLetterPolicyAllowsFiveAttempts() throws IOException {
        assertEquals(5, ((Number) variables.get("dead_letter_max_attempts").get("default")).intValue());
        Map<String, Object> policy = block(resource("google_pubsub_subscription", "cleanup"), "dead_letter_policy");
        assertEquals("google_pubsub_topic.dead_letter.id", String.valueOf(policy.get("dead_letter_topic")));
        assertEquals("var.dead_letter_max_attempts", String.valueOf(policy.get("max_delivery_attempts")));
        assertFalse(resources.containsKey("terraform_data"), "no local-exec");
        assertFalse(Files.exists(ROOT.resolve("terraform/scripts/set-dead-letter.sh")));
        Map<String, Object> publisher = resource("google_pubsub_topic_iam_member", "dead_letter_publisher");
        assertEquals("roles/pubsub.publisher", publisher.get("role"));
        assertEquals("google_pubsub_topic.dead_letter.id", String.valueOf(publisher.get("topic")));
        Map<String, Object> subscriber = resource("google_pubsub_subscription_iam_member", "dead_letter_subscriber");
        assertEquals("roles/pubsub.subscriber", subscriber.get("role"));
        assertEquals("google_pubsub_subscription.cleanup.id", String.valueOf(subscriber.get("subscription")));
        for (Map<String, Object> grant : List.of(publisher, subscriber)) {
            assertEquals("google_project_service_identity.pubsub.member", String.valueOf(grant.get("member")), "the agent exists first");
        }
        assertEquals("google-beta", String.valueOf(resource("google_project_service_identity", "pubsub").get("provider")));
        String project = String.valueOf(resources.get("google_project_iam_member"));
        assertFalse(project.contains("pubsub"), "no project-wide grant to the Pub/Sub service agent: " + project);
    }

    @Test
    void cloudSqlIsPostgres15OnAPrivateIpWithRecoveryAndProtection() {
        Map<String, Object> sql = resource("google_sql_database_instance", "main");
        assertEquals("POSTGRES_15", sql.get("database_version"));
        Map<String, Object> settings = block(sql, "settings");
        Map<String, Object> ip = block(settings, "ip_configuration");
        assertEquals(false, ip.get("ipv4_enabled"));
        assertEquals("google_compute_network.main.id", String.valueOf(ip.get("private_network")));
        assertEquals("ENCRYPTED_ONLY", ip.get("ssl_mode"));
        Map<String, Object> backup = block(settings, "backup_configuration");
        assertEquals(true, backup.get("enabled"));
        assertEquals(true, backup.get("point_in_time_recovery_enabled"));
        assertEquals("var.sql_deletion_protection", String.valueOf(sql.get("deletion_protection")));
        assertEquals(true, variables.get("sql_deletion_protection").get("default"));
        assertNotNull(settings.get("maintenance_window"));
    }

    @Test
    void theImageBucketIsPrivate() {
        Map<String, Object> bucket = resource("google_storage_bucket", "images");
        assertEquals("enforced", bucket.get("public_access_prevention"));
        assertEquals(true, bucket.get("uniform_bucket_level_access"));
    }
}
