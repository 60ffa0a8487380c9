package io.imgstream.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The emulator as a user runs it: the packaged {@code imgstream-local-all.jar} in its own JVM ({@code ./imgstream local}
 * execs exactly this), not the classes on the test class path. Run after {@code package} by the module's
 * {@code packaged-emulator} surefire execution, so that a dependency the jar lacks (a run-time dependency that a
 * test-scoped declaration kept out of the shaded jar) fails the build instead of the first user's start.
 */
class PackagedEmulatorTest {

    private static final Path JAR = Path.of("target/imgstream-local-all.jar");

    @TempDir
    Path home;

    @Test
    void thePackagedEmulatorStartsAndAnswersThroughTheGateway() throws Exception {
        assertTrue(Files.isRegularFile(JAR), JAR.toAbsolutePath() + " is built by the package phase before this test");
        int base = LocalEmulator.freeBasePort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dimgstream.root=" + TerraformFiles.ROOT, "-jar", JAR.toString(), "local"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(home.resolve("emulator.log").toFile());
        builder.environment().put("IMGSTREAM_HOME", home.resolve("home").toString());
        builder.environment().put("IMGSTREAM_BASE_PORT", Integer.toString(base));
        for (String unset : List.of("IMGSTREAM_GATEWAY_PORT", "FETCH_URL", "DATABASE_URL", "GCS_BUCKET_NAME")) {
            builder.environment().remove(unset);
        }
        Process emulator = builder.start();
        try {
            Path localJson = home.resolve("home/local.json");
            String key = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
            while (key == null) {
                assertTrue(emulator.isAlive(), () -> "the packaged emulator exited: " + log());
                assertTrue(System.nanoTime() < deadline, () -> "no key in local.json within 240 s: " + log());
                Thread.sleep(250);
                if (Files.exists(localJson)) {
                    Matcher m = Pattern.compile("\"dev\": \"(isk_[^\"]+)\"").matcher(Files.readString(localJson));
                    key = m.find() && log().contains("is running locally") ? m.group(1) : null;
                }
            }
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            String gateway = "http://127.0.0.1:" + (base - 1);
            HttpResponse<String> list = http.send(HttpRequest.newBuilder(URI.create(gateway + "/images"))
                    .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, list.statusCode(), list::body);
            HttpResponse<String> document = http.send(HttpRequest.newBuilder(URI.create(gateway + "/openapi.yaml")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, document.statusCode(), document::body);
            assertTrue(document.body().startsWith("openapi: 3."), document.body().substring(0, 40));
            assertTrue(document.body().contains("url: " + gateway), "the document names the gateway as its server");
        } finally {
            emulator.destroy();
            if (!emulator.waitFor(60, TimeUnit.SECONDS)) {
                emulator.destroyForcibly();
            }
        }
    }

    private String log() {
        try {
            return Files.readString(home.resolve("emulator.log"));
        } catch (java.io.IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
