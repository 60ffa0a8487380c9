package io.imgstream.collisioncheck;

import io.imgstream.application.AuthenticateCaller;
import io.imgstream.application.upload.UploadCommand;
import io.imgstream.application.upload.UploadImage;
import io.imgstream.domain.Caller;
import io.imgstream.domain.ConflictPolicy;
import io.imgstream.support.FunctionServer;
import io.imgstream.dev.TestDatabase;
import io.imgstream.dev.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** POST /collision-check and its stats over real HTTP through the Functions Framework invoker. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CollisionCheckFunctionTest {

    private FunctionServer server;
    private String key;
    private String otherKey;
    private Caller caller;
    private Caller otherCaller;

    @BeforeAll
    void start() {
        server = FunctionServer.http(Map.of());
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
    }

    @BeforeEach
    void clean() {
        TestDatabase.truncateAll();
        key = server.keyFor("alice");
        otherKey = server.keyFor("bob");
        AuthenticateCaller auth = server.sideContext().getBean(AuthenticateCaller.class);
        caller = auth.authenticate(null, key);
        otherCaller = auth.authenticate(null, otherKey);
    }

    String upload(Caller who, String name, byte[] bytes, ConflictPolicy policy) {
        return server.sideContext().getBean(UploadImage.class).upload(new UploadCommand(who, name,
                new ByteArrayInputStream(bytes), bytes.length, policy)).image().filename();
    }

    HttpResponse<String> check(String json, String apiKey) {
        return server.send(HttpRequest.newBuilder(server.uri("/collision-check"))
                .header("Authorization", "Bearer " + apiKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    static List<String> all(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":(\"[^\"]*\"|null)").matcher(json);
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1).replace("\"", ""));
        }
        return out;
    }

    static String sha(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    static void assertProblem(HttpResponse<String> r, int status, String code) {
        assertEquals(status, r.statusCode(), r::body);
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""), r::body);
        assertTrue(r.body().contains("\"code\":\"" + code + "\""), r::body);
    }

    @Test
    void answersEveryStatusInRequestOrder() throws Exception {
        byte[] a = TestImages.png(1);
        byte[] b = TestImages.png(2);
        upload(caller, "IMG_1.JPG", a, ConflictPolicy.REJECT);
        upload(caller, "other.png", b, ConflictPolicy.REJECT);
        HttpResponse<String> r = check("""
                {"files":[
                  {"filename":"img_1.jpg","sha256":"%s"},
                  {"filename":"IMG_1.jpg","sha256":"%s"},
                  {"filename":"new.png"},
                  {"filename":"../bad.png"},
                  {"filename":"NEW.PNG"},
                  {"filename":"copy.png","sha256":"%s"}
                ]}""".formatted(sha(a), sha(b), sha(b).toUpperCase(Locale.ROOT)), key); // hex in either case
        assertEquals(200, r.statusCode(), r::body);
        assertEquals(List.of("identical", "duplicate_in_request", "available", "invalid", "duplicate_in_request", "available"),
                all(r.body(), "status"), r::body);
        assertEquals(List.of("img_1.jpg", "IMG_1.jpg", "new.png", "../bad.png", "NEW.PNG", "copy.png"),
                all(r.body(), "filename").stream().filter(n -> !n.equals("IMG_1.JPG") && !n.equals("other.png")).toList());
        assertTrue(r.body().contains("\"sameContentAs\":[\""), "copy.png's bytes are other.png's (sha256 in capitals): " + r.body());
    }

    @Test
    void existsWithSuggestedNameThatARenameUploadThenPicks() {
        upload(caller, "photo.jpg", TestImages.png(1), ConflictPolicy.REJECT);
        upload(caller, "photo (1).jpg", TestImages.png(2), ConflictPolicy.REJECT);
        HttpResponse<String> r = check("{\"filenames\":[\"PHOTO.jpg\"]}", key);
        assertEquals(List.of("exists"), all(r.body(), "status"), r::body);
        assertEquals(List.of("PHOTO (2).jpg"), all(r.body(), "suggestedName"));
        assertEquals("PHOTO (2).jpg", upload(caller, "PHOTO.jpg", TestImages.png(3), ConflictPolicy.RENAME));
    }

    /**
     * Copies are looked up only for names that need them; these need them although their own name is free in
     * the database: a repeat in the request, and a copy name that an earlier item's suggestion takes.
     */
    @Test
    void suggestionsSkipCopiesTakenWhenTheNameIsOnlyTakenWithinTheRequest() {
        upload(caller, "b (1).png", TestImages.png(1), ConflictPolicy.REJECT);
        upload(caller, "c.png", TestImages.png(2), ConflictPolicy.REJECT);
        upload(caller, "c (1) (1).png", TestImages.png(3), ConflictPolicy.REJECT);
        HttpResponse<String> r = check("{\"filenames\":[\"b.png\",\"b.png\",\"c.png\",\"c (1).png\",\"d.png\"]}", key);
        assertEquals(200, r.statusCode(), r::body);
        assertEquals(List.of("available", "duplicate_in_request", "exists", "available", "available"),
                all(r.body(), "status"), r::body);
        assertEquals(List.of("b.png", "b (2).png", "c (1).png", "c (1) (2).png", "d.png"), all(r.body(), "suggestedName"));
    }

    @Test
    void theExistingImageComesWithItsCopiesAndNeverAnotherUsers() {
        byte[] png = TestImages.png(41);
        UploadImage uploads = server.sideContext().getBean(UploadImage.class);
        String held = uploads.upload(new UploadCommand(caller, "held.png", new ByteArrayInputStream(png), png.length,
                ConflictPolicy.REJECT)).image().id().toString();
        String copy = uploads.upload(new UploadCommand(caller, "held copy.png", new ByteArrayInputStream(png), png.length,
                ConflictPolicy.REJECT)).image().id().toString();
        String theirs = uploads.upload(new UploadCommand(otherCaller, "theirs.png", new ByteArrayInputStream(png),
                png.length, ConflictPolicy.REJECT)).image().id().toString();
        upload(caller, "lonely.png", TestImages.png(42), ConflictPolicy.REJECT);

        HttpResponse<String> r = check("{\"filenames\":[\"HELD.png\",\"lonely.png\"]}", key);
        assertEquals(List.of("exists", "exists"), all(r.body(), "status"), r::body);
        assertTrue(r.body().contains("\"existing\":{\"id\":\"" + held + "\""), r::body);
        assertTrue(r.body().contains("\"sameContentAs\":[\"" + copy + "\"],\"thumbnailUrl\":\"/images/" + held
                + "/thumbnail?v=1{&size,fit,format}\"},\"suggestedName\":\"HELD (1).png\""), r::body);
        assertTrue(r.body().matches("(?s).*\"sameContentAs\":\\[],\"thumbnailUrl\":\"[^\"]*\"},\"suggestedName\":\"lonely \\(1\\).png\".*"),
                r::body);
        assertTrue(r.body().contains("\"orientation\":1,\"displayWidth\":8,\"displayHeight\":6"), r::body);
        assertTrue(!r.body().contains(theirs), r::body);
    }

    @Test
    void nfdAndCaseVariantsAreExisting() {
        upload(caller, "café.png", TestImages.png(1), ConflictPolicy.REJECT);
        HttpResponse<String> r = check("{\"filenames\":[\"" + Normalizer.normalize("CAFÉ.PNG", Normalizer.Form.NFD) + "\"]}", key);
        assertEquals(List.of("exists"), all(r.body(), "status"), r::body);
    }

    @Test
    void neverRevealsAnotherUsersNamesOrContent() throws Exception {
        byte[] secret = TestImages.png(5);
        upload(otherCaller, "secret.png", secret, ConflictPolicy.REJECT);
        HttpResponse<String> r = check("{\"files\":[{\"filename\":\"secret.png\",\"sha256\":\"" + sha(secret) + "\"}]}", key);
        assertEquals(List.of("available"), all(r.body(), "status"), r::body);
        assertTrue(r.body().contains("\"sameContentAs\":[]") && r.body().contains("\"existing\":null"), r::body);
    }

    @Test
    void acceptsTheBatchLimitAndRefusesOneMore() {
        String ok = IntStream.range(0, 500).mapToObj(i -> "\"f" + i + ".png\"").collect(Collectors.joining(",", "{\"filenames\":[", "]}"));
        assertEquals(200, check(ok, key).statusCode());
        String over = IntStream.range(0, 501).mapToObj(i -> "\"f" + i + ".png\"").collect(Collectors.joining(",", "{\"filenames\":[", "]}"));
        assertProblem(check(over, key), 413, "batch_too_large");
    }

    @Test
    void refusesABodyOverFourMebibytesDeclaredOrChunked() {
        String big = IntStream.range(0, 30_000).mapToObj(i -> "\"" + "x".repeat(150) + i + ".png\"")
                .collect(Collectors.joining(",", "{\"filenames\":[", "]}"));
        assertTrue(big.length() > CollisionCheckController.MAX_BODY_BYTES);
        assertProblem(check(big, key), 413, "payload_too_large");
        // without Content-Length: the limit holds while reading, not after parsing 4.5 MB of names
        HttpResponse<String> chunked = server.send(HttpRequest.newBuilder(server.uri("/collision-check"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(big.getBytes(java.nio.charset.StandardCharsets.UTF_8)))));
        assertProblem(chunked, 413, "payload_too_large");
        assertEquals(0, TestDatabase.count("select count(*) from collision_events where items > 500"));
    }

    @Test
    void refusesMalformedBodies() {
        assertProblem(check("{not json", key), 400, "malformed_json");
        assertProblem(check("{\"files\":\"a.png\"}", key), 400, "malformed_json");
        assertProblem(check("{\"filenames\":[1,2]}", key), 400, "malformed_json");
        assertProblem(check("{\"files\":[{\"filename\":7}]}", key), 400, "malformed_json");
        assertProblem(check("{\"files\":[{\"filename\":\"a.png\",\"sha256\":[]}]}", key), 400, "malformed_json");
        assertProblem(check("{\"files\":[\"a.png\"]}", key), 400, "malformed_json");
        assertProblem(check("[\"a.png\"]", key), 400, "malformed_json");
        assertProblem(check("", key), 400, "malformed_json");
        assertProblem(check("null", key), 400, "malformed_json");
        // Bodies another parser would read differently: a value after the value, a key given twice.
        assertProblem(check("{\"filenames\":[\"a.png\"]} {\"filenames\":[\"b.png\"]}", key), 400, "malformed_json");
        assertProblem(check("{\"filenames\":[\"a.png\"]} x", key), 400, "malformed_json");
        HttpResponse<String> twice = check("{\"filenames\":[\"a.png\"],\"filenames\":[\"b.png\"]}", key);
        assertProblem(twice, 400, "malformed_json");
        assertTrue(twice.body().contains("'filenames'"), twice::body);
        assertProblem(check("{\"files\":[{\"filename\":\"a.png\",\"filename\":\"b.png\"}]}", key), 400, "malformed_json");
        assertProblem(check("{\"files\":[]}", key), 400, "bad_request");
        assertProblem(check("{}", key), 400, "bad_request");
        assertProblem(check("{\"files\":[{\"filename\":\"a\"}],\"filenames\":[\"b\"]}", key), 400, "bad_request");
        assertProblem(server.send(HttpRequest.newBuilder(server.uri("/collision-check"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("a.png"))), 415, "unsupported_media_type");
        // A gzipped body is not "malformed JSON": its coding is what is refused.
        var gzipped = new java.io.ByteArrayOutputStream();
        try (var gzip = new java.util.zip.GZIPOutputStream(gzipped)) {
            gzip.write("{\"filenames\":[\"a.png\"]}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        HttpResponse<String> coded = server.send(HttpRequest.newBuilder(server.uri("/collision-check"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .header("Content-Encoding", "gzip").POST(HttpRequest.BodyPublishers.ofByteArray(gzipped.toByteArray())));
        assertProblem(coded, 415, "unsupported_media_type");
        assertEquals("identity", coded.headers().firstValue("Accept-Encoding").orElse(""));
        assertEquals("no-store", coded.headers().firstValue("Cache-Control").orElse(""));
        assertEquals(0, TestDatabase.count("select count(*) from collision_events where items > 0 and invalid > 0"));
    }

    @Test
    void anInvalidShaIsAnInvalidItem() {
        HttpResponse<String> r = check("{\"files\":[{\"filename\":\"a.png\",\"sha256\":\"xyz\"}]}", key);
        assertEquals(List.of("invalid"), all(r.body(), "status"), r::body);
    }

    @Test
    void recordsMonitoringAndAnswersStats() {
        upload(caller, "seen.png", TestImages.png(1), ConflictPolicy.REJECT);
        check("{\"filenames\":[\"seen.png\",\"new.png\",\"x/y\"]}", key);
        check("{\"filenames\":[\"seen.png\"]}", key);
        HttpResponse<String> stats = server.send(HttpRequest.newBuilder(server.uri("/collision-check/stats?hours=1"))
                .header("Authorization", "Bearer " + key).GET());
        assertEquals(200, stats.statusCode(), stats::body);
        assertTrue(stats.body().contains("\"checks\":2"), stats::body);
        assertTrue(stats.body().contains("\"exists\":2") && stats.body().contains("\"available\":1")
                && stats.body().contains("\"invalid\":1"), stats::body);
        HttpResponse<String> theirs = server.send(HttpRequest.newBuilder(server.uri("/collision-check/stats"))
                .header("Authorization", "Bearer " + otherKey).GET());
        assertTrue(theirs.body().contains("\"checks\":0"), theirs::body);
    }

    @Test
    void statsAnswerHeadWithTheGetsStatusAndHeadersAndNoBody() {
        for (String path : List.of("/collision-check/stats?hours=1", "/collision-check/stats?hours=nope")) {
            HttpResponse<String> get = server.send(HttpRequest.newBuilder(server.uri(path))
                    .header("Authorization", "Bearer " + key).GET());
            HttpResponse<String> head = server.send(HttpRequest.newBuilder(server.uri(path))
                    .header("Authorization", "Bearer " + key).method("HEAD", HttpRequest.BodyPublishers.noBody()));
            assertEquals(get.statusCode(), head.statusCode(), path);
            assertEquals("", head.body(), path);
            // Micronaut's HEAD answer here names no Content-Type (HTTP lets it leave it out); when it does, the GET's
            head.headers().firstValue("Content-Type").ifPresent(type ->
                    assertEquals(get.headers().firstValue("Content-Type").orElse(""), type, path));
            assertEquals(get.headers().firstValue("Cache-Control"), head.headers().firstValue("Cache-Control"), path);
        }
    }
}
