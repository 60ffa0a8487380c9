package io.imgstream.local;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * cloudbuild.yaml, the release pipeline: it parses; it uses only fields of Cloud Build's build config (the Build and
 * BuildStep resources of the Cloud Build API; no JSON schema of them is to be had offline beyond the field lists);
 * Cloud Build's substitutions resolve (a shell variable not written $$ would fail the build before it starts); the steps
 * come in the order the issue asks for, each guarded to its build (staging or the approved production build); every
 * step's shell parses; and the triggers of terraform/ci.tf pass exactly the substitutions the file uses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CloudBuildPipelineTest {

    /** Fields of the Build resource a config file may set (cloud.google.com/build/docs/build-config-file-schema). */
    private static final Set<String> BUILD_FIELDS = Set.of("steps", "timeout", "queueTtl", "logsBucket", "options", "substitutions",
            "tags", "serviceAccount", "secrets", "availableSecrets", "artifacts", "images", "mavenArtifacts", "pythonPackages",
            "npmPackages");
    private static final Set<String> STEP_FIELDS = Set.of("name", "args", "env", "dir", "id", "waitFor", "entrypoint", "secretEnv",
            "volumes", "timeout", "script", "automapSubstitutions", "allowFailure", "allowExitCodes");
    private static final Set<String> MACHINE_TYPES = Set.of("UNSPECIFIED", "E2_MEDIUM", "E2_HIGHCPU_8", "E2_HIGHCPU_32", "N1_HIGHCPU_8",
            "N1_HIGHCPU_32");
    /** Substitutions Cloud Build defines itself. */
    private static final Set<String> BUILT_IN = Set.of("PROJECT_ID", "PROJECT_NUMBER", "BUILD_ID", "LOCATION", "COMMIT_SHA",
            "SHORT_SHA", "REVISION_ID", "BRANCH_NAME", "TAG_NAME", "REF_NAME", "REPO_NAME", "REPO_FULL_NAME", "TRIGGER_NAME",
            "TRIGGER_BUILD_CONFIG_PATH", "SERVICE_ACCOUNT_EMAIL", "SERVICE_ACCOUNT");

    private Map<String, Object> config;
    private List<Map<String, Object>> steps;
    private String text;

    @BeforeAll
    @SuppressWarnings("unchecked")
    void load() throws Exception {
        text = Files.readString(TerraformFiles.ROOT.resolve("cloudbuild.yaml"));
        config = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        steps = (List<Map<String, Object>>) config.get("steps");
    }

    private List<String> ids() {
        return steps.stream().map(s -> String.valueOf(s.get("id"))).toList();
    }

    @SuppressWarnings("unchecked")
    private static String script(Map<String, Object> step) {
        List<String> args = (List<String>) step.get("args");
        return "bash".equals(step.get("entrypoint")) || "sh".equals(step.get("entrypoint")) ? args.get(args.size() - 1) : String.join(" ", args);
    }

    @Test
    @SuppressWarnings("unchecked")
    void usesOnlyFieldsOfTheBuildConfig() {
        assertTrue(BUILD_FIELDS.containsAll(config.keySet()), "build fields: " + config.keySet());
        for (Map<String, Object> step : steps) {
            assertTrue(STEP_FIELDS.containsAll(step.keySet()), step.get("id") + ": " + step.keySet());
            assertTrue(step.get("name") instanceof String, "every step names its image");
            for (Object arg : (List<Object>) step.get("args")) {
                assertTrue(arg instanceof String, step.get("id") + ": args are strings");
            }
            for (Object env : (List<Object>) step.getOrDefault("env", List.of())) {
                assertTrue(String.valueOf(env).matches("[A-Z_][A-Z0-9_]*=.*"), step.get("id") + ": KEY=VALUE, not " + env);
            }
        }
        Map<String, Object> options = (Map<String, Object>) config.get("options");
        assertTrue(MACHINE_TYPES.contains(options.get("machineType")), String.valueOf(options));
        assertEquals("CLOUD_LOGGING_ONLY", options.get("logging"), "a user-specified service account needs it");
        assertTrue(String.valueOf(config.get("timeout")).matches("\\d+s"), "a duration in seconds");
        assertTrue(Integer.parseInt(String.valueOf(config.get("timeout")).replace("s", "")) >= 3 * 600 + 3600,
                "room for verify, two applies and three soaks");
        assertEquals(ids().size(), new HashSet<>(ids()).size(), "step ids are unique");
    }

    @Test
    void theStepsComeInTheOrderOfARelease() {
        assertEquals(List.of("verify", "build-archives", "publish-release", "terraform-binary", "staging-plan", "staging-apply",
                "staging-smoke-test", "production-approval", "production-pin-traffic", "production-plan", "production-apply",
                "traffic-10", "traffic-50", "traffic-100"), ids());
        assertTrue(script(step("verify")).contains("bash .ci/run"), "the tests CI runs: mvn -B verify");
        assertTrue(script(step("production-approval")).contains("gcloud builds triggers run \"$_PRODUCTION_TRIGGER\""));
        assertTrue(script(step("production-approval")).contains("--sha \"$COMMIT_SHA\""), "production builds the commit staging tested");
        for (String percent : List.of("10", "50")) {
            assertEquals("[ \"$_TARGET\" = production ] || exit 0; terraform/rollout.sh shift " + percent + " && terraform/rollout.sh check",
                    script(step("traffic-" + percent)));
        }
        assertTrue(script(step("traffic-100")).endsWith("terraform/rollout.sh shift 100 && terraform/rollout.sh check && terraform/rollout.sh finish"));
        assertTrue(script(step("production-pin-traffic")).endsWith("terraform/rollout.sh pin"));
        assertTrue(env(step("production-plan")).contains("TRAFFIC_ON_LATEST=false"), "production's new revisions start without traffic");
        assertTrue(!env(step("staging-plan")).contains("TRAFFIC_ON_LATEST=false"), "staging takes a release at once");
        assertTrue(script(step("staging-smoke-test")).endsWith("terraform/smoke-test.sh"));
        assertTrue(env(step("staging-smoke-test")).contains("SMOKE_KEY_SECRET=$_SMOKE_KEY_SECRET"), "the smoke key from Secret Manager");
        assertTrue(env(step("traffic-10")).contains("MAX_5XX_RATIO=$_MAX_5XX_RATIO"));
    }

    @SuppressWarnings("unchecked")
    private static List<String> env(Map<String, Object> step) {
        return (List<String>) step.getOrDefault("env", List.of());
    }

    private Map<String, Object> step(String id) {
        return steps.stream().filter(s -> id.equals(s.get("id"))).findFirst().orElseThrow();
    }

    /** The staging build runs the staging half, the approved production build the production half; nothing runs in both but
     * fetching the terraform binary. */
    @Test
    void everyStepBelongsToOneOfTheTwoBuilds() {
        boolean production = false;
        for (Map<String, Object> step : steps) {
            String id = String.valueOf(step.get("id"));
            if (id.equals("terraform-binary")) {
                continue;
            }
            production |= id.equals("production-pin-traffic");
            String guard = production ? "[ \"$_TARGET\" = production ] ||" : "[ \"$_TARGET\" = staging ] ||";
            assertTrue(script(step).strip().startsWith(guard), id + " starts with " + guard + ": " + script(step));
        }
    }

    /** Cloud Build replaces $NAME and ${NAME} before a step runs and refuses a build naming an unknown one. */
    @Test
    @SuppressWarnings("unchecked")
    void everySubstitutionResolvesAndEveryDeclaredOneIsUsed() {
        Map<String, Object> declared = (Map<String, Object>) config.get("substitutions");
        for (String key : declared.keySet()) {
            assertTrue(key.matches("_[A-Z0-9_]+"), "user substitutions start with _: " + key);
            assertTrue(declared.get(key) instanceof String, key + " is a string");
        }
        Set<String> used = new LinkedHashSet<>();
        Matcher m = Pattern.compile("\\$(?:\\{([A-Za-z_][A-Za-z0-9_]*)}|([A-Za-z_][A-Za-z0-9_]*))").matcher(text.replace("$$", ""));
        List<String> unknown = new ArrayList<>();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            if (text.lines().filter(l -> l.contains(m.group())).allMatch(l -> l.strip().startsWith("#"))) {
                continue; // only in a comment
            }
            used.add(name);
            if (!BUILT_IN.contains(name) && !declared.containsKey(name)) {
                unknown.add(name);
            }
        }
        assertTrue(unknown.isEmpty(), "neither built in nor declared (a shell variable needs $$): " + unknown);
        Set<String> userUsed = new LinkedHashSet<>(used);
        userUsed.removeIf(n -> !n.startsWith("_"));
        assertEquals(declared.keySet(), userUsed, "every declared substitution is used (MUST_MATCH fails the build otherwise)");
    }

    /** The triggers pass the substitutions the file declares, every one that differs per deployment (each build its own
     * _TARGET), and none it does not use. */
    @Test
    @SuppressWarnings("unchecked")
    void theTriggersPassTheSubstitutionsTheFileDeclares() throws Exception {
        String ci = Files.readString(TerraformFiles.MODULE.resolve("ci.tf"));
        Matcher block = Pattern.compile("ci_substitutions = \\{(.*?)\\n  }", Pattern.DOTALL).matcher(ci);
        assertTrue(block.find(), "ci.tf's substitutions");
        Set<String> passed = new LinkedHashSet<>();
        Matcher key = Pattern.compile("(?m)^\\s*(_[A-Z0-9_]+)\\s*=").matcher(block.group(1));
        while (key.find()) {
            passed.add(key.group(1));
        }
        passed.add("_TARGET");
        Set<String> declared = ((Map<String, Object>) config.get("substitutions")).keySet();
        assertTrue(declared.containsAll(passed), "the triggers pass only what the file uses: " + passed);
        Set<String> defaulted = new HashSet<>(declared);
        defaulted.removeAll(passed);
        assertEquals(Set.of("_STAGING_TFVARS", "_PRODUCTION_TFVARS"), defaulted, "only the repository's own paths are left to the file");
        assertTrue(ci.contains("_PRODUCTION_TRIGGER  = \"${var.name_prefix}-release-production\"")
                && ci.contains("name            = local.ci_substitutions._PRODUCTION_TRIGGER"), "the staging build starts the real trigger");
        assertTrue(ci.contains("_MAX_5XX_RATIO       = tostring(var.alert_5xx_ratio)"), "the rollout rolls back where the alert fires");
    }

    /** Each step's shell, as Cloud Build hands it over ($$ → $, substitutions filled in), parses. */
    @Test
    @SuppressWarnings("unchecked")
    void everyStepsShellParses() throws Exception {
        Map<String, Object> declared = (Map<String, Object>) config.get("substitutions");
        for (Map<String, Object> step : steps) {
            String shell = String.valueOf(step.get("entrypoint"));
            if (!shell.equals("bash") && !shell.equals("sh")) {
                continue;
            }
            String script = script(step).replace("$$", "\u0000");
            for (var d : declared.entrySet()) {
                script = script.replace("$" + d.getKey(), String.valueOf(d.getValue()));
            }
            for (String b : BUILT_IN) {
                script = script.replace("$" + b, "x" + b.toLowerCase());
            }
            script = script.replace("\u0000", "$");
            Path file = Files.createTempFile("step", ".sh");
            Files.writeString(file, script);
            Process p = new ProcessBuilder(shell, "-n", file.toString()).redirectErrorStream(true).start();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            String out = new String(p.getInputStream().readAllBytes());
            assertEquals(0, p.exitValue(), step.get("id") + ": " + out + "\n" + script);
            Files.delete(file);
        }
    }

    /** The archives are named the way functions.tf reads them: releases/<release>/<function key>.zip. */
    @Test
    void theArchivesAreNamedAsFunctionsTfReadsThem() throws Exception {
        String build = script(step("build-archives"));
        assertTrue(build.contains("for pair in upload:upload fetch:fetch collision_check:collision-check cleanup:cleanup; do"), build);
        assertTrue(build.contains("jar --create --no-manifest --file \"dist/$$key.zip\" -C \"functions/$$module/target\" \"imgstream-$$module-function.jar\""));
        assertTrue(script(step("publish-release")).contains("gcloud storage cp --no-clobber dist/*.zip \"gs://$_RELEASES_BUCKET/releases/$SHORT_SHA/\""));
        String pipeline = Files.readString(TerraformFiles.MODULE.resolve("scripts/pipeline-terraform.sh"));
        assertTrue(pipeline.contains("gcloud storage cp --no-clobber \"gs://$RELEASES_BUCKET/releases/$RELEASE/*.zip\" \"gs://$bucket/releases/$RELEASE/\""));
        assertTrue(pipeline.contains("-var \"release=$RELEASE\""));
        String main = Files.readString(TerraformFiles.MODULE.resolve("main.tf"));
        for (String pair : List.of("upload:upload", "fetch:fetch", "collision_check:collision-check", "cleanup:cleanup")) {
            String[] kv = pair.split(":");
            assertTrue(main.contains(kv[0] + (" ".repeat(Math.max(1, 16 - kv[0].length()))) + "= { module = \"" + kv[1] + "\""),
                    "function key " + kv[0] + " is module " + kv[1]);
        }
    }
}
