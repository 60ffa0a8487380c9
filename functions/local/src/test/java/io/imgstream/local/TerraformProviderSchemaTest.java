package io.imgstream.local;

import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every google_* resource in terraform/ checked offline against the google provider's own schema (terraform validate
 * needs the provider, which cannot be downloaded here): each argument and nested block must exist where it is written,
 * and every required one must be there. The schema, {@code src/test/resources/terraform/google-provider-schema.json},
 * was extracted by {@code extract-google-schema.mjs} beside it from @cdktf/provider-google, whose bindings are
 * generated from {@code terraform providers schema -json} of the provider version its package.json names.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TerraformProviderSchemaTest {

    /** Meta-arguments Terraform itself takes in every resource block. */
    private static final Set<String> META = Set.of("count", "for_each", "depends_on", "lifecycle", "provider", "provisioner",
            "connection");

    /**
     * Written in the module but newer than the extracted schema (google 6.50.0, the last @cdktf/provider-google): Direct
     * VPC egress of google_cloudfunctions2_function was google-beta only until magic-modules#16396 promoted it to GA
     * (2026-02-17; hashicorp/terraform-provider-google#20503), i.e. a google 7.x release. Listed so that everything else
     * stays checked; PLANS.md ExecPlan 12 records that versions.tf's floor (>= 6.40) is therefore too low.
     */
    private static final Set<String> NEWER_THAN_SCHEMA = Set.of(
            "google_cloudfunctions2_function.function.service_config.direct_vpc_egress",
            "google_cloudfunctions2_function.function.service_config.dynamic.direct_vpc_network_interface");

    private TerraformFiles tf;
    private Map<String, Object> schema;

    @BeforeAll
    @SuppressWarnings("unchecked")
    void load() throws Exception {
        tf = TerraformFiles.load();
        try (InputStream in = getClass().getResourceAsStream("/terraform/google-provider-schema.json")) {
            assertNotNull(in, "the extracted schema is on the test classpath");
            schema = JsonMapper.createDefault().readValue(in.readAllBytes(), Map.class);
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> schemaOf(String type) {
        return (Map<String, Object>) ((Map<String, Object>) schema.get("resources")).get(type);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theSchemaIsOfAProviderVersionThatVersionsTfAllows() {
        Map<String, Object> provider = (Map<String, Object>) schema.get("provider");
        assertEquals("registry.terraform.io/hashicorp/google", provider.get("name"));
        String[] version = String.valueOf(provider.get("version")).split("\\.");
        Matcher bounds = Pattern.compile("google = \\{\\s*source\\s*= \"hashicorp/google\"\\s*version = \">= (\\d+)\\.(\\d+), < (\\d+)\\.0\"")
                .matcher(tf.texts.get("versions.tf"));
        assertTrue(bounds.find(), "versions.tf bounds the google provider");
        int major = Integer.parseInt(version[0]);
        int minor = Integer.parseInt(version[1]);
        int lowMajor = Integer.parseInt(bounds.group(1));
        int lowMinor = Integer.parseInt(bounds.group(2));
        assertTrue((major > lowMajor || (major == lowMajor && minor >= lowMinor)) && major < Integer.parseInt(bounds.group(3)),
                provider + " within " + bounds.group());
    }

    @Test
    void everyGoogleResourceTypeInTheModuleIsInTheSchema() {
        List<String> missing = new ArrayList<>();
        for (String type : tf.resources.keySet()) {
            if (type.startsWith("google_") && schemaOf(type) == null) {
                missing.add(type);
            }
        }
        assertTrue(missing.isEmpty(), "not in the extracted schema (re-run extract-google-schema.mjs with them): " + missing);
    }

    @Test
    void everyArgumentAndBlockExistsAndEveryRequiredOneIsSet() {
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (var byType : tf.resources.entrySet()) {
            Map<String, Object> resourceSchema = schemaOf(byType.getKey());
            if (resourceSchema == null) {
                continue;
            }
            for (var resource : byType.getValue().entrySet()) {
                validate(byType.getKey() + "." + resource.getKey(), resource.getValue(), resourceSchema, true, problems);
                checked++;
            }
        }
        assertTrue(checked >= 40, "resources checked: " + checked);
        List<String> newer = problems.stream().filter(p -> NEWER_THAN_SCHEMA.contains(p.substring(0, p.indexOf(':')))).toList();
        assertEquals(NEWER_THAN_SCHEMA.size(), newer.size(), "the known newer fields are still written (else drop them from the list): " + newer);
        problems.removeAll(newer);
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    /** The check itself catches what it is for: a misspelt argument, a block in the wrong place, a missing required one. */
    @Test
    void theCheckRejectsWhatTheProviderWould() {
        Map<String, Object> policy = schemaOf("google_monitoring_alert_policy");
        List<String> problems = new ArrayList<>();
        validate("p", Map.of("display_name", "x", "combiner", "OR", "notification_channel", List.of(),
                "conditions", Map.of("display_name", "c", "condition_threshold", Map.of("comparison", "COMPARISON_GT",
                        "duration", "0s", "aggregation", Map.of()))), policy, true, problems);
        validate("q", Map.of("display_name", "x", "combiner", "OR"), policy, true, problems);
        assertEquals(Set.of("p.notification_channel: no such argument or block",
                "p.conditions.condition_threshold.aggregation: no such argument or block",
                "q: required conditions is not set"), Set.copyOf(problems));
    }

    @SuppressWarnings("unchecked")
    private void validate(String path, Map<String, Object> body, Map<String, Object> node, boolean resource, List<String> problems) {
        List<String> arguments = (List<String>) node.get("arguments");
        Map<String, Object> blocks = (Map<String, Object>) node.get("blocks");
        for (var entry : body.entrySet()) {
            String key = entry.getKey();
            if (resource && META.contains(key)) {
                continue;
            }
            if (key.equals("dynamic") && entry.getValue() instanceof Map<?, ?> dynamic) {
                for (var generated : ((Map<String, Object>) dynamic).entrySet()) {
                    Object blockSchema = blocks.get(generated.getKey());
                    if (blockSchema == null) {
                        problems.add(path + ".dynamic." + generated.getKey() + ": no such block");
                        continue;
                    }
                    for (Object each : asList(generated.getValue())) {
                        Object content = ((Map<String, Object>) each).get("content");
                        if (content instanceof Map<?, ?> c) {
                            validate(path + "." + generated.getKey(), (Map<String, Object>) c, (Map<String, Object>) blockSchema, false,
                                    problems);
                        }
                    }
                }
            } else if (blocks.containsKey(key)) {
                for (Object each : asList(entry.getValue())) {
                    if (each instanceof Map<?, ?> nested) {
                        validate(path + "." + key, (Map<String, Object>) nested, (Map<String, Object>) blocks.get(key), false, problems);
                    }
                }
            } else if (!arguments.contains(key)) {
                problems.add(path + "." + key + ": no such argument or block");
            }
        }
        Map<String, Object> dynamic = body.get("dynamic") instanceof Map<?, ?> d ? (Map<String, Object>) d : Map.of();
        for (String required : (List<String>) node.get("required")) {
            if (!body.containsKey(required) && !dynamic.containsKey(required)) {
                problems.add(path + ": required " + required + " is not set");
            }
        }
    }

    private static List<?> asList(Object value) {
        return value instanceof List<?> list ? list : java.util.Collections.singletonList(value);
    }
}
