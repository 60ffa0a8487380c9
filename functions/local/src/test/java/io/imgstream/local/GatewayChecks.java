package io.imgstream.local;

import io.imgstream.dev.Command;
import io.imgstream.dev.TestImages;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a client of the one base URL sees through a running emulator's gateway: every route of the routing table
 * reaching its function, a 404 problem elsewhere, a maximum-size upload and a Range download streamed through, a tus
 * upload by the real tus-js-client, and the optional rate limiter's 429.
 */
final class GatewayChecks {

    private static final String ORIGIN = "http://localhost:3000";
    private static final String GATEWAY_NOT_FOUND = "No function serves";

    private final HttpClient http;
    private final URI gateway;
    private final URI fetch;
    private final String key;

    /** An emulator's at {@code basePort} (IMGSTREAM_BASE_PORT): the gateway at the port before it, fetch at the next. */
    GatewayChecks(HttpClient http, int basePort, String key) {
        this.http = http;
        this.gateway = URI.create("http://127.0.0.1:" + (basePort - 1));
        this.fetch = URI.create("http://127.0.0.1:" + (basePort + 1));
        this.key = key;
    }

    private HttpRequest.Builder to(String path) {
        return HttpRequest.newBuilder(gateway.resolve(path)).header("Authorization", "Bearer " + key);
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A function's answer, not the gateway's own 404. */
    private static void reachedAFunction(HttpResponse<String> r, String what) {
        assertFalse(r.body().contains(GATEWAY_NOT_FOUND), what + " was routed: " + r.body());
    }

    void servesThePublicApi() throws Exception {
        // writes to upload, reads to fetch: a maximum-size body (MAX_UPLOAD_BYTES, 32 MiB) goes through whole
        byte[] big = TestImages.pngOfSize(32 * 1024 * 1024, 7);
        HttpResponse<String> created = send(to("/images?filename=through-the-gateway.png")
                .header("Content-Type", "image/png").POST(HttpRequest.BodyPublishers.ofByteArray(big)));
        assertEquals(201, created.statusCode(), created::body);
        String location = created.headers().firstValue("Location").orElse("");
        assertTrue(location.startsWith(gateway + "/images/"), "Location at the gateway: " + location);
        String id = location.substring(location.lastIndexOf('/') + 1);
        String etag = created.headers().firstValue("ETag").orElse("");

        HttpResponse<String> metadata = send(to(URI.create(location).getPath()));
        assertEquals(200, metadata.statusCode(), metadata::body);
        assertTrue(metadata.body().contains("\"filename\":\"through-the-gateway.png\""), metadata::body);
        HttpResponse<String> listing = send(to("/images?limit=5"));
        assertEquals(200, listing.statusCode(), listing::body);
        assertTrue(listing.body().contains(id), listing::body);

        HttpResponse<byte[]> range = http.send(to("/images/" + id + "/content").header("Range", "bytes=33554422-").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(206, range.statusCode());
        assertEquals("bytes 33554422-33554431/33554432", range.headers().firstValue("Content-Range").orElse(""));
        assertArrayEquals(Arrays.copyOfRange(big, 33554422, 33554432), range.body());
        if (!etag.isEmpty()) {
            assertEquals(etag, range.headers().firstValue("ETag").orElse(""), "the function's ETag is kept");
        }
        HttpResponse<InputStream> whole = http.send(to("/images/" + id + "/content").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, whole.statusCode());
        assertEquals(sha256(big), sha256(whole.body()), "the whole download (chunked by fetch) is the upload, byte for byte");
        // every header fetch answers reaches the client as fetch sent it (but Date, which is the time of each answer)
        HttpResponse<String> head = send(to("/images/" + id + "/content").method("HEAD", HttpRequest.BodyPublishers.noBody()));
        HttpResponse<String> direct = http.send(HttpRequest.newBuilder(fetch.resolve("/images/" + id + "/content"))
                .header("Authorization", "Bearer " + key).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, head.statusCode());
        java.util.Map<String, List<String>> viaGateway = new java.util.TreeMap<>(head.headers().map());
        java.util.Map<String, List<String>> fromFetch = new java.util.TreeMap<>(direct.headers().map());
        viaGateway.remove("date");
        fromFetch.remove("date");
        assertEquals(fromFetch, viaGateway);
        reachedAFunction(send(to("/images/" + id + "/thumbnail")), "GET /images/{id}/thumbnail");

        // the API document and its page belong to fetch; no key needed
        reachedAFunction(send(HttpRequest.newBuilder(gateway.resolve("/openapi.yaml"))), "GET /openapi.yaml");
        reachedAFunction(send(HttpRequest.newBuilder(gateway.resolve("/docs"))), "GET /docs");
        reachedAFunction(send(HttpRequest.newBuilder(gateway.resolve("/docs/index.html"))), "GET /docs/…");

        // a preflight goes to the function serving the method it asks about
        for (String[] asked : new String[][] {{"/images", "POST"}, {"/images", "GET"}, {"/images/" + id, "DELETE"},
                {"/uploads", "POST"}, {"/collision-check", "POST"}}) {
            HttpResponse<String> preflight = send(HttpRequest.newBuilder(gateway.resolve(asked[0]))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", ORIGIN)
                    .header("Access-Control-Request-Method", asked[1]).header("Access-Control-Request-Headers", "authorization"));
            assertEquals(200, preflight.statusCode(), asked[1] + " " + asked[0] + ": " + preflight.body());
            assertEquals(ORIGIN, preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
            assertTrue(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse("").contains(asked[1]),
                    asked[1] + " " + asked[0] + ": " + preflight.headers());
        }

        HttpResponse<String> check = send(to("/collision-check").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"filenames\":[\"through-the-gateway.png\",\"new.png\"]}")));
        assertEquals(200, check.statusCode(), check::body);
        assertTrue(check.body().contains("through-the-gateway.png"), check::body);
        HttpResponse<String> stats = send(to("/collision-check/stats"));
        assertEquals(200, stats.statusCode(), stats::body);

        tusJsClientUploadsThroughTheGateway();

        // the tus protocol's own requests, by hand: OPTIONS, then creation, HEAD and termination of an upload
        HttpResponse<String> options = send(to("/uploads").method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Tus-Resumable", "1.0.0"));
        assertEquals(204, options.statusCode(), options::body);
        assertTrue(options.headers().firstValue("Tus-Extension").orElse("").contains("creation"), options.headers()::toString);
        HttpResponse<String> made = send(to("/uploads").header("Tus-Resumable", "1.0.0").header("Upload-Length", "100")
                .header("Upload-Metadata", "filename " + java.util.Base64.getEncoder().encodeToString("t.png".getBytes()))
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(201, made.statusCode(), made::body);
        String upload = made.headers().firstValue("Location").orElse("");
        assertTrue(upload.startsWith(gateway + "/uploads/"), upload);
        HttpResponse<String> offset = send(HttpRequest.newBuilder(URI.create(upload)).header("Authorization", "Bearer " + key)
                .header("Tus-Resumable", "1.0.0").method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertEquals("0", offset.headers().firstValue("Upload-Offset").orElse(""), offset.headers()::toString);
        HttpResponse<String> terminated = send(HttpRequest.newBuilder(URI.create(upload)).header("Authorization", "Bearer " + key)
                .header("Tus-Resumable", "1.0.0").DELETE());
        assertEquals(204, terminated.statusCode(), terminated::body);

        HttpResponse<String> deleted = send(to("/images/" + id).DELETE());
        assertEquals(204, deleted.statusCode(), deleted::body);
        assertEquals(404, send(to("/images/" + id)).statusCode());

        // what no function serves publicly: the gateway's own 404 problem (health stays on the function ports)
        for (String[] nowhere : new String[][] {{"GET", "/health"}, {"GET", "/"}, {"POST", "/"}, {"GET", "/no-such-route"},
                {"PUT", "/images"}}) {
            HttpResponse<String> r = send(to(nowhere[1]).method(nowhere[0], HttpRequest.BodyPublishers.noBody()));
            assertEquals(404, r.statusCode(), nowhere[1]);
            assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
            assertTrue(r.body().contains("\"code\":\"not_found\"") && r.body().contains("\"status\":404")
                    && r.body().contains("\"type\":\"https://imgstream.dev/problems/not_found\""), r::body);
        }
    }

    /** The real tus-js-client (the upload module's pinned package and script) with the gateway as its endpoint. */
    private void tusJsClientUploadsThroughTheGateway() throws Exception {
        if (!Command.onPath("node") || !Command.onPath("npm")) {
            System.out.println("SKIPPED tus-js-client through the gateway: Node and npm are not installed");
            return;
        }
        Path client = Path.of("target", "tus-js-client").toAbsolutePath();
        Files.createDirectories(client);
        for (String name : List.of("package.json", "tus-upload.mjs")) {
            Files.copy(Path.of("..", "upload", "src", "test", "js", name), client.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isDirectory(client.resolve("node_modules/tus-js-client"))) {
            Command.Result install = Command.run(client, List.of("npm", "install", "--prefer-offline", "--no-audit", "--no-fund",
                    "--loglevel=error"), 240);
            if (install.code() != 0) {
                System.out.println("SKIPPED tus-js-client through the gateway: npm install failed (offline?): " + install.output());
                return;
            }
        }
        java.awt.image.BufferedImage noise = new java.awt.image.BufferedImage(300, 250, java.awt.image.BufferedImage.TYPE_INT_RGB);
        Random random = new Random(5);
        for (int y = 0; y < 250; y++) {
            for (int x = 0; x < 300; x++) {
                noise.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        byte[] bytes = TestImages.write(noise, "png");
        Path file = client.resolve("gateway-upload.png");
        Files.write(file, bytes);
        Command.Result r = Command.run(client, List.of("node", "tus-upload.mjs", gateway + "/uploads", key, file.toString(),
                "tus through the gateway.png", "65536", "interrupt"), 120);
        assertEquals(0, r.code(), r.output());
        String json = r.output().lines().reduce((a, b) -> b).orElseThrow();
        String url = field(json, "url");
        assertTrue(url != null && url.startsWith(gateway + "/uploads/"), "the upload URL is the gateway's: " + json);
        assertEquals(url, field(json, "resumedFrom"), "a new client resumed the same upload through the gateway: " + json);
        String imageId = field(json, "imageId");
        HttpResponse<byte[]> back = http.send(to("/images/" + imageId + "/content").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, back.statusCode());
        assertArrayEquals(bytes, back.body());
    }

    /** With {@code IMGSTREAM_RATE_LIMIT_PER_KEY_PER_MINUTE=limit}: the next request with the key is a 429 problem. */
    void limitsAKeyTo(int limit) throws Exception {
        for (int i = 0; i < limit; i++) {
            assertEquals(200, send(to("/images")).statusCode(), "request " + (i + 1) + " is within the limit");
        }
        HttpResponse<String> refused = send(to("/images"));
        assertEquals(429, refused.statusCode(), refused::body);
        long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElse("0"));
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
        assertEquals("application/problem+json", refused.headers().firstValue("Content-Type").orElse(""));
        assertTrue(refused.body().contains("\"code\":\"rate_limited\"") && refused.body().contains("\"status\":429"),
                refused::body);
        HttpResponse<String> keyless = send(HttpRequest.newBuilder(gateway.resolve("/images")));
        assertEquals(401, keyless.statusCode(), "the per-IP limit (1000) still admits: the function answers " + keyless.body());
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static String sha256(InputStream in) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (in) {
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"?([^\",}]*)\"?").matcher(json);
        return m.find() ? m.group(1) : null;
    }

}
