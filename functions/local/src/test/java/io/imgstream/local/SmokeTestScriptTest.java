package io.imgstream.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * terraform/smoke-test.sh, the pipeline's check of staging, run against the real functions (the local emulator: the
 * packaged function jars and PostgreSQL) through their URLs as it runs against staging's: it passes on a healthy
 * deployment, and fails, saying why, on one that answers wrongly.
 */
class SmokeTestScriptTest {

    @TempDir
    Path home;

    private static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    private static String[] smoke(Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", TerraformFiles.MODULE.resolve("smoke-test.sh").toString()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
        return new String[] {Integer.toString(p.exitValue()), out};
    }

    @Test
    void passesAgainstHealthyFunctionsAndFailsAgainstAWrongAnswer() throws Exception {
        for (String tool : List.of("bash", "curl", "python3", "base64", "cmp")) {
            assumeTrue(onPath(tool), tool + " is needed to run the smoke test");
        }
        int base = LocalEmulator.freeBasePort();
        Map<String, String> env = LocalEmulator.isolatedEnvironment(home, base, "smoke");
        System.setProperty("imgstream.root", TerraformFiles.ROOT.toString());
        LocalEmulator emulator = new LocalEmulator(LocalSettings.fromEnvironment(env), env);
        try {
            emulator.start();
            Map<String, String> urls = new HashMap<>(Map.of(
                    "UPLOAD_URL", "http://127.0.0.1:" + base,
                    "FETCH_URL", "http://127.0.0.1:" + (base + 1),
                    "COLLISION_CHECK_URL", "http://127.0.0.1:" + (base + 2),
                    "KEY", emulator.keys().get("smoke")));

            String[] passed = smoke(urls);
            assertEquals("0", passed[0], passed[1]);
            for (String step : List.of("ok  http://127.0.0.1:" + base + "/health", "ok  upload smoke-", "ok  fetch ",
                    "ok  collision check: smoke-", "identical", "ok  delete ", "smoke test passed")) {
                assertTrue(passed[1].contains(step), step + " in\n" + passed[1]);
            }

            // The collision check pointed at fetch: its /collision-check is no route there.
            urls.put("COLLISION_CHECK_URL", "http://127.0.0.1:" + (base + 1));
            String[] failed = smoke(urls);
            assertNotEquals("0", failed[0], failed[1]);
            assertTrue(failed[1].contains("smoke test FAILED: -X POST http://127.0.0.1:" + (base + 1) + "/collision-check")
                    && failed[1].contains("answered 404, expected 200"), failed[1]);

            // A wrong key fails at the first authenticated call.
            urls.put("COLLISION_CHECK_URL", "http://127.0.0.1:" + (base + 2));
            urls.put("KEY", "isk_not_a_key");
            String[] refused = smoke(urls);
            assertNotEquals("0", refused[0], refused[1]);
            assertTrue(refused[1].contains("answered 401, expected 201"), refused[1]);
        } finally {
            emulator.stop();
        }
    }
}
