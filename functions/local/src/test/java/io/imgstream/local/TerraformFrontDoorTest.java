package io.imgstream.local;

import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The front door's routing and rate limits as Terraform itself computes them: the real {@code terraform} binary
 * evaluates frontdoor.tf's and network.tf's locals with variables.tf (its defaults and validations) and routes.json, in a
 * module without providers (which cannot be downloaded here), and the result is compared with routes.json read
 * independently. Skipped, with the reason, where terraform is not installed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TerraformFrontDoorTest {

    private static final Path MODULE = TerraformFiles.MODULE;

    @TempDir
    Path dir;

    @BeforeAll
    void terraformIsThere() {
        assumeTrue(Arrays.stream(System.getenv("PATH").split(File.pathSeparator))
                .anyMatch(d -> Files.isExecutable(Path.of(d, "terraform"))), "terraform is not installed: the front door's"
                + " locals cannot be evaluated");
    }

    /** The first top-level {@code locals { … }} block of a file. */
    private static String locals(String file) throws Exception {
        Matcher m = Pattern.compile("(?ms)^locals \\{.*?^\\}").matcher(Files.readString(MODULE.resolve(file)));
        assertTrue(m.find(), "a locals block in " + file);
        return m.group();
    }

    record Result(int code, String output) {
    }

    private Result terraform(Path module, List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of("terraform"));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(module.toFile()).redirectErrorStream(true);
        builder.environment().put("TF_IN_AUTOMATION", "1");
        builder.environment().put("CHECKPOINT_DISABLE", "1");
        builder.environment().put("TF_CLI_CONFIG_FILE", module.resolve("none.tfrc").toString());
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, out);
        }
        return new Result(p.exitValue(), out);
    }

    /** Applies the locals (no resources: nothing but outputs) and returns the outputs' values. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> evaluate(String name, String... vars) throws Exception {
        Path module = Files.createDirectories(dir.resolve(name));
        Files.writeString(module.resolve("none.tfrc"), "");
        Files.copy(MODULE.resolve("routes.json"), module.resolve("routes.json"));
        Files.copy(MODULE.resolve("variables.tf"), module.resolve("variables.tf"));
        Files.writeString(module.resolve("main.tf"), locals("frontdoor.tf") + "\n\n" + locals("network.tf") + """


                output "route_rules" { value = local.route_rules }
                output "routed" { value = local.routed_functions }
                output "keyed" { value = local.keyed_threshold }
                output "unkeyed" { value = local.unkeyed_threshold }
                output "keyed_request" { value = local.keyed_request }
                output "subnet_addresses" { value = local.subnet_addresses }
                output "addresses_needed" { value = local.direct_vpc_addresses_needed }
                """);
        Result init = terraform(module, List.of("init", "-input=false", "-no-color"));
        assertEquals(0, init.code, init.output);
        List<String> apply = new ArrayList<>(List.of("apply", "-auto-approve", "-input=false", "-no-color", "-var", "project_id=p"));
        for (String v : vars) {
            apply.add(v.startsWith("environments/") ? "-var-file=" + MODULE.resolve(v) : "-var=" + v);
        }
        Result applied = terraform(module, apply);
        assertEquals(0, applied.code, applied.output);
        Result output = terraform(module, List.of("output", "-json", "-no-color"));
        assertEquals(0, output.code, output.output);
        Map<String, Map<String, Object>> outputs = JsonMapper.createDefault().readValue(output.output, Map.class);
        Map<String, Object> values = new java.util.HashMap<>();
        outputs.forEach((key, value) -> values.put(key, value.get("value")));
        return values;
    }

    @Test
    @SuppressWarnings("unchecked")
    void theUrlMapsRouteRulesAreRoutesJsonInItsOrder() throws Exception {
        Map<String, Object> on = evaluate("on", "enable_front_door=true", "domain=api.example.com");
        Map<String, Object> table = JsonMapper.createDefault().readValue(Files.readAllBytes(MODULE.resolve("routes.json")), Map.class);
        List<Map<String, Object>> routes = (List<Map<String, Object>>) table.get("routes");
        List<Map<String, Object>> rules = (List<Map<String, Object>>) on.get("route_rules");
        assertEquals(routes.size(), rules.size(), "one route rule per route");
        int previous = 0;
        for (int i = 0; i < routes.size(); i++) {
            Map<String, Object> route = routes.get(i);
            Map<String, Object> rule = rules.get(i);
            int priority = ((Number) rule.get("priority")).intValue();
            assertTrue(priority > previous && priority < 100000, "priorities ascend in the file's order, below the 404 rule");
            previous = priority;
            assertEquals(String.valueOf(route.get("function")).replace('-', '_'), rule.get("function"), String.valueOf(route));
            List<String> preflight = (List<String>) route.get("preflight");
            List<String> methods = (List<String>) route.get("methods");
            List<Map<String, Object>> matches = (List<Map<String, Object>>) rule.get("matches");
            List<String> each = preflight != null ? preflight : methods;
            assertEquals(each.size(), matches.size(), "one match rule per method: " + route);
            for (int m = 0; m < each.size(); m++) {
                Map<String, Object> match = matches.get(m);
                assertEquals(route.get("path"), match.get("full_path"), String.valueOf(route));
                assertEquals(route.get("pathPrefix"), match.get("prefix"), String.valueOf(route));
                List<Map<String, Object>> headers = (List<Map<String, Object>>) match.get("headers");
                if (preflight != null) {
                    assertEquals(List.of(Map.of("name", ":method", "value", "OPTIONS"),
                            Map.of("name", "Access-Control-Request-Method", "value", each.get(m))), headers);
                } else if (each.get(m).equals("*")) {
                    assertEquals(List.of(), headers, "any method: no header match");
                } else {
                    assertEquals(List.of(Map.of("name", ":method", "value", each.get(m))), headers);
                }
            }
        }
        assertEquals(Set.of("upload", "fetch", "collision_check"), Set.copyOf((List<String>) on.get("routed")), "cleanup is never routed");
        String frontDoor = Files.readString(MODULE.resolve("frontdoor.tf"));
        assertTrue(frontDoor.contains("for_each = local.route_rules") && frontDoor.contains("for_each = route_rules.value.matches")
                && frontDoor.contains("for_each = match_rules.value.headers"), "the URL map is generated from these locals");
        assertTrue(frontDoor.contains("http_status = 404") && frontDoor.contains("priority = 100000"), "what no route matches is a 404");

        Map<String, Object> off = evaluate("off");
        assertEquals(List.of(), off.get("routed"), "off: no NEG, backend or policy");
    }

    /** Cloud Armor counts per backend service: the shares keep every client address within the documented totals. */
    @Test
    @SuppressWarnings("unchecked")
    void theRateLimitsAcrossTheApiNeverExceedTheDocumentedOnes() throws Exception {
        for (String[] limits : new String[][] {{"1000", "100"}, {"60", "7"}, {"5000", "10"}}) {
            Map<String, Object> on = evaluate("limits-" + limits[0] + "-" + limits[1], "enable_front_door=true",
                    "domain=api.example.com", "rate_limit_per_ip_per_minute=" + limits[0], "rate_limit_per_key_per_minute=" + limits[1]);
            Map<String, Number> keyed = (Map<String, Number>) on.get("keyed");
            Map<String, Number> unkeyed = (Map<String, Number>) on.get("unkeyed");
            long keyedTotal = keyed.values().stream().mapToLong(Number::longValue).sum();
            long total = keyedTotal + unkeyed.values().stream().mapToLong(Number::longValue).sum();
            assertTrue(keyedTotal <= Long.parseLong(limits[1]), "keyed requests across the API: " + keyed);
            assertTrue(total <= Long.parseLong(limits[0]), "all requests across the API: " + keyed + " + " + unkeyed);
            assertTrue(keyed.values().stream().allMatch(n -> n.longValue() >= 1), "every backend lets some through");
        }
        Map<String, Object> defaults = evaluate("defaults", "enable_front_door=true", "domain=api.example.com");
        assertEquals(Map.of("upload", 30, "fetch", 50, "collision_check", 20), defaults.get("keyed"), "README's table");
        assertEquals(Map.of("upload", 270, "fetch", 450, "collision_check", 180), defaults.get("unkeyed"), "README's table");
        String keyedRequest = String.valueOf(defaults.get("keyed_request"));
        assertTrue(keyedRequest.contains("has(request.headers['x-api-key'])")
                && keyedRequest.contains("request.headers['authorization'].lower().startsWith('bearer ')"), keyedRequest);
        String readme = Files.readString(MODULE.resolve("README.md"));
        assertTrue(readme.contains("(30 / 50 / 20)") && readme.contains("(270 / 450 / 180)"), "README states the thresholds");

        Path module = Files.createDirectories(dir.resolve("shares"));
        Files.writeString(module.resolve("none.tfrc"), "");
        Files.copy(MODULE.resolve("variables.tf"), module.resolve("variables.tf"));
        terraform(module, List.of("init", "-input=false", "-no-color"));
        Result tooMuch = terraform(module, List.of("plan", "-input=false", "-no-color", "-var", "project_id=p",
                "-var", "rate_limit_shares={upload=0.5,fetch=0.5,collision_check=0.2}"));
        assertFalse(tooMuch.code == 0, "shares above 1 are refused: " + tooMuch.output);
        assertTrue(tooMuch.output.contains("summing to at most 1"), tooMuch.output);
    }

    /** Direct VPC egress: the default subnet and every environment's fit their functions at max_instances. */
    @Test
    void theSubnetHoldsEveryInstanceAtMaxScale() throws Exception {
        Set<String> checked = new LinkedHashSet<>();
        for (String env : List.of("", "environments/dev.tfvars", "environments/staging.tfvars", "environments/prod.tfvars")) {
            Map<String, Object> values = env.isEmpty() ? evaluate("subnet-defaults") : evaluate("subnet-" + checked.size(), env);
            long addresses = ((Number) values.get("subnet_addresses")).longValue();
            long needed = ((Number) values.get("addresses_needed")).longValue();
            assertTrue(addresses >= needed + 4, env + ": " + addresses + " addresses for " + needed);
            checked.add(env + " " + needed + "/" + addresses);
        }
        // prod.tfvars: 4 x (40 + 100 + 20 + 1) + 16 x 2 x 4 = 772, within a /22's 1024 (README's figures).
        assertTrue(checked.stream().anyMatch(c -> c.equals("environments/prod.tfvars 772/1024")), String.valueOf(checked));
        assertTrue(Files.readString(MODULE.resolve("network.tf"))
                .contains("condition     = var.vpc_egress != \"direct\" || local.subnet_addresses >= local.direct_vpc_addresses_needed + 4"));
    }
}
