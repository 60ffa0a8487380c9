package io.imgstream.upload;

import io.imgstream.application.cleanup.CleanupRequest;
import io.imgstream.application.cleanup.CleanupTask;
import io.imgstream.application.cleanup.RunCleanup;
import io.imgstream.support.FunctionServer;
import io.imgstream.dev.TestDatabase;
import io.imgstream.dev.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** tus 1.0.0 on /uploads over real HTTP through the Functions Framework invoker: the raw protocol. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TusFunctionTest {

    static final int CHUNK_LIMIT = 200_000;
    static final int MAX_RESUMABLE = 2_000_000;
    static final String ORIGIN = "https://app.example";
    private FunctionServer server;
    private String key;
    private String otherKey;
    private byte[] image;

    @BeforeAll
    void start() {
        server = FunctionServer.http(Map.of("imgstream.max-upload-bytes", Integer.toString(CHUNK_LIMIT),
                "imgstream.resumable.max-bytes", Integer.toString(MAX_RESUMABLE), "imgstream.allowed-origins", ORIGIN));
        BufferedImage noise = new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(3);
        for (int y = 0; y < 300; y++) {
            for (int x = 0; x < 400; x++) {
                noise.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        image = TestImages.write(noise, "png");
        assertTrue(image.length > CHUNK_LIMIT, "more than one chunk: " + image.length);
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
    }

    @BeforeEach
    void clean() throws IOException {
        TestDatabase.truncateAll();
        server.clearStorage();
        key = server.keyFor("alice");
        otherKey = server.keyFor("bob");
    }

    // ---- helpers

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    HttpRequest.Builder tus(String path, String apiKey) {
        return HttpRequest.newBuilder(path.startsWith("http") ? URI.create(path) : server.uri(path))
                .header("Authorization", "Bearer " + apiKey).header("Tus-Resumable", "1.0.0");
    }

    HttpResponse<String> create(String filename, long length, String extraMetadata) {
        String meta = "filename " + b64(filename) + (extraMetadata == null ? "" : "," + extraMetadata);
        return server.send(tus("/uploads", key).header("Upload-Length", Long.toString(length))
                .header("Upload-Metadata", meta).POST(HttpRequest.BodyPublishers.noBody()));
    }

    String location(String filename, long length) {
        HttpResponse<String> r = create(filename, length, null);
        assertEquals(201, r.statusCode(), r::body);
        return r.headers().firstValue("Location").orElseThrow();
    }

    HttpResponse<String> patch(String location, long offset, byte[] chunk, String... headers) {
        HttpRequest.Builder b = tus(location, key).header("Content-Type", "application/offset+octet-stream")
                .header("Upload-Offset", Long.toString(offset))
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(chunk));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return server.send(b);
    }

    /** The rest of {@code bytes} from {@code from}, in chunks under the request limit; the last answer. */
    HttpResponse<String> rest(String location, long from, byte[] bytes) {
        HttpResponse<String> last = null;
        for (int at = (int) from; at < bytes.length; at += 150_000) {
            last = patch(location, at, Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + 150_000)));
            if (last.statusCode() != 204) {
                return last;
            }
        }
        return last;
    }

    long offset(String location) {
        HttpResponse<String> head = server.send(tus(location, key).method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, head.statusCode(), () -> head.headers().map().toString());
        return Long.parseLong(head.headers().firstValue("Upload-Offset").orElseThrow());
    }

    long images() {
        return TestDatabase.count("select count(*) from images");
    }

    List<String> parts() {
        Path root = server.storageDirectory();
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).map(p -> root.relativize(p).toString())
                    .filter(n -> n.contains("/uploads/")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String field(String json, String name) {
        var m = java.util.regex.Pattern.compile("\"" + name + "\":\"?([^\",}]*)\"?").matcher(json);
        return m.find() ? m.group(1) : null;
    }

    static void assertProblem(HttpResponse<String> r, int status, String code) {
        assertEquals(status, r.statusCode(), r::body);
        assertEquals(code, field(r.body(), "code"), r::body);
        assertEquals("1.0.0", r.headers().firstValue("Tus-Resumable").orElse(null), "every answer names tus");
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    // ---- the protocol

    @Test
    void optionsTellsTheVersionExtensionsLimitAndChecksums() {
        HttpResponse<String> r = server.send(tus("/uploads", key).method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertEquals(204, r.statusCode(), r::body);
        assertEquals("1.0.0", r.headers().firstValue("Tus-Version").orElseThrow());
        assertEquals(Set.of("creation", "creation-with-upload", "termination", "expiration", "checksum"),
                Set.of(r.headers().firstValue("Tus-Extension").orElseThrow().split(",")));
        assertEquals(Integer.toString(MAX_RESUMABLE), r.headers().firstValue("Tus-Max-Size").orElseThrow());
        assertTrue(r.headers().firstValue("Tus-Checksum-Algorithm").orElseThrow().contains("sha1"));
    }

    @Test
    void chunksEndInTheImageWithItsIdAndNothingOfTheUploadLeft() throws Exception {
        String location = location("Big scan.png", image.length);
        assertTrue(location.startsWith("http://127.0.0.1:") && location.contains("/uploads/"), location);
        int chunk = 64 * 1024;
        HttpResponse<String> last = null;
        for (int at = 0; at < image.length; at += chunk) {
            assertEquals(at, offset(location));
            last = patch(location, at, Arrays.copyOfRange(image, at, Math.min(image.length, at + chunk)));
            assertEquals(204, last.statusCode(), last.body());
            assertEquals(Math.min(image.length, at + chunk),
                    Long.parseLong(last.headers().firstValue("Upload-Offset").orElseThrow()));
        }
        String imageId = last.headers().firstValue("ImgStream-Image-Id").orElseThrow();
        assertEquals(1, images());
        assertEquals(sha256(image), TestDatabase.string("select encode(sha256, 'hex') from images where id = '" + imageId + "'"));
        assertEquals(List.of(), parts(), "the parts are deleted");
        HttpResponse<String> state = server.send(tus(location, key).GET());
        assertEquals(200, state.statusCode(), state::body);
        assertEquals("complete", field(state.body(), "state"));
        assertEquals(Integer.toString(image.length), field(state.body(), "offset"));
        assertTrue(state.body().contains("\"image\":{\"id\":\"" + imageId + "\""), state::body);
        assertEquals("Big scan.png", field(state.body(), "filename"));
    }

    @Test
    void creationWithUploadTakesTheFirstChunk() {
        byte[] small = TestImages.png(5);
        HttpResponse<String> r = server.send(tus("/uploads", key).header("Upload-Length", Integer.toString(small.length))
                .header("Upload-Metadata", "filename " + b64("one go.png"))
                .header("Content-Type", "application/offset+octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(small)));
        assertEquals(201, r.statusCode(), r::body);
        assertEquals(Integer.toString(small.length), r.headers().firstValue("Upload-Offset").orElseThrow());
        assertTrue(r.headers().firstValue("ImgStream-Image-Id").isPresent());
        assertEquals(1, images());
    }

    @Test
    void aDroppedConnectionLosesOnlyThatChunkAndTheResumeGivesTheExactBytes() throws Exception {
        String location = location("resumed.png", image.length);
        assertEquals(204, patch(location, 0, Arrays.copyOfRange(image, 0, 100_000)).statusCode());
        URI uri = URI.create(location);
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("PATCH " + uri.getPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                    + "\r\nAuthorization: Bearer " + key + "\r\nTus-Resumable: 1.0.0\r\nUpload-Offset: 100000\r\n"
                    + "Content-Type: application/offset+octet-stream\r\nContent-Length: 100000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(image, 100_000, 40_000);
            out.flush();
            // The body ends 60 000 bytes early: the server's read of it fails, it frees the upload and answers; reading
            // that answer is the sign the server is done with the cut request (no sleeping, no retrying).
            socket.shutdownOutput();
            String status = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertTrue(status.startsWith("HTTP/1.1 400"), status);
        }
        long offset = offset(location);
        assertEquals(100_000, offset, "HEAD tells the truth: the cut chunk is not counted");
        HttpResponse<String> rest = rest(location, offset, image);
        assertEquals(204, rest.statusCode(), rest::body);
        String imageId = rest.headers().firstValue("ImgStream-Image-Id").orElseThrow();
        assertEquals(sha256(image), TestDatabase.string("select encode(sha256, 'hex') from images where id = '" + imageId + "'"));
    }

    @Test
    void concurrentPatchesOfOneUploadHaveOneWinnerAndNoInterleavedBytes() throws Exception {
        String location = location("race.png", image.length);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        AtomicBoolean first = new AtomicBoolean(true);
        byte[] chunk = Arrays.copyOfRange(image, 0, 100_000);
        // A slow body: the first PATCH holds the upload while the second arrives.
        HttpRequest.BodyPublisher slow = HttpRequest.BodyPublishers.ofInputStream(() -> new InputStream() {
            int at;

            @Override
            public int read() {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (at == chunk.length) {
                    return -1;
                }
                if (at == 50_000 && first.getAndSet(false)) {
                    started.countDown();
                    try {
                        finish.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                int n = Math.min(len, Math.min(chunk.length - at, at < 50_000 ? 50_000 - at : chunk.length - at));
                System.arraycopy(chunk, at, b, off, n);
                at += n;
                return n;
            }
        });
        CompletableFuture<HttpResponse<String>> holder = CompletableFuture.supplyAsync(() -> server.send(tus(location, key)
                .header("Content-Type", "application/offset+octet-stream").header("Upload-Offset", "0")
                .method("PATCH", slow)));
        assertTrue(started.await(30, TimeUnit.SECONDS));
        // The client has produced half its body; wait until the server holds the lease too (it takes it on the request's
        // arrival, which a busy machine or the gateway's extra hop can delay past the second PATCH).
        String uploadId = location.substring(location.lastIndexOf('/') + 1);
        long leaseDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (TestDatabase.count("select count(*) from resumable_uploads where id = '" + uploadId
                + "' and lease_token is not null") == 0 && System.nanoTime() < leaseDeadline) {
            Thread.sleep(10);
        }
        HttpResponse<String> second = patch(location, 0, Arrays.copyOfRange(image, 0, 100_000));
        assertProblem(second, 409, "upload_busy");
        finish.countDown();
        assertEquals(204, holder.get(30, TimeUnit.SECONDS).statusCode());
        assertEquals(100_000, offset(location));
        HttpResponse<String> rest = rest(location, 100_000, image);
        assertEquals(204, rest.statusCode(), rest::body);
        String imageId = rest.headers().firstValue("ImgStream-Image-Id").orElseThrow();
        assertEquals(sha256(image), TestDatabase.string("select encode(sha256, 'hex') from images where id = '" + imageId + "'"));
    }

    @Test
    void twoUploadsRacingForOneNewNameUnderRejectHaveOneWinnerAtCreation() {
        assertEquals(201, create("same.png", 100, null).statusCode());
        assertProblem(create("SAME.png", 100, null), 409, "filename_conflict");
        assertEquals(1, TestDatabase.count("select count(*) from resumable_uploads"));
        assertEquals(201, create("same.png", 100, "onConflict " + b64("rename")).statusCode(), "rename reserves nothing");
    }

    @Test
    void aLiveImageOfTheNameIsAConflictAtCreationUnderReject() {
        byte[] png = TestImages.png(9);
        assertEquals(201, create("taken.png", png.length, null).statusCode());
        String location = location("other.png", png.length);
        assertEquals(204, patch(location, 0, png).statusCode());
        HttpResponse<String> r = create("other.png", 10, null);
        assertProblem(r, 409, "filename_conflict");
        assertTrue(r.body().contains("\"existing\":{"), r::body);
    }

    @Test
    void theLastChunkMakingATextFileIs415AndNothingIsKept() {
        byte[] text = ("not an image " + "x".repeat(300_000)).getBytes(StandardCharsets.UTF_8);
        String location = location("fake.png", text.length);
        assertEquals(204, patch(location, 0, Arrays.copyOfRange(text, 0, 150_000)).statusCode());
        assertProblem(patch(location, 150_000, Arrays.copyOfRange(text, 150_000, text.length)), 415, "unsupported_media_type");
        assertEquals(0, images());
        assertEquals(List.of(), parts());
        HttpResponse<String> state = server.send(tus(location, key).GET());
        assertEquals("failed", field(state.body(), "state"));
        assertEquals("unsupported_media_type", field(state.body(), "code"));
        assertProblem(patch(location, text.length, new byte[1]), 409, "upload_finished");
    }

    @Test
    void terminationReleasesTheNameAndTheBytes() {
        String location = location("gone.png", image.length);
        assertEquals(204, patch(location, 0, Arrays.copyOfRange(image, 0, 100_000)).statusCode());
        assertEquals(1, parts().size());
        assertEquals(204, server.send(tus(location, key).DELETE()).statusCode());
        assertEquals(List.of(), parts());
        assertProblem(server.send(tus(location, key).method("HEAD", HttpRequest.BodyPublishers.noBody())), 404, null);
        assertProblem(patch(location, 100_000, new byte[10]), 404, "not_found");
        assertEquals(201, create("gone.png", 10, null).statusCode(), "the name is free again");
    }

    @Test
    void cleanupDeletesExpiredUploadsRowsAndBytesAndReleasesTheName() {
        String location = location("abandoned.png", image.length);
        assertEquals(204, patch(location, 0, Arrays.copyOfRange(image, 0, 100_000)).statusCode());
        TestDatabase.execute("update resumable_uploads set expires_at = now() - interval '1 minute'");
        assertProblem(server.send(tus(location, key).method("HEAD", HttpRequest.BodyPublishers.noBody())), 404, null);
        assertEquals(201, create("abandoned.png", 10, null).statusCode(), "an expired upload holds no name");
        RunCleanup cleanup = server.sideContext().getBean(RunCleanup.class);
        var report = cleanup.run(new CleanupRequest(Set.of(CleanupTask.EXPIRED_UPLOADS), false, 10_000));
        assertEquals(1L, report.counts().get("expired_uploads"));
        assertEquals(List.of(), parts());
        assertEquals(1, TestDatabase.count("select count(*) from resumable_uploads"));
        assertEquals(0L, cleanup.run(new CleanupRequest(Set.of(CleanupTask.EXPIRED_UPLOADS), false, 10_000))
                .counts().get("expired_uploads"), "idempotent");
    }

    // ---- bad input: a clear problem, nothing stored

    @Test
    void withoutTusResumableIs412WithTheVersionAndNothingIsCreated() {
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri("/uploads"))
                .header("Authorization", "Bearer " + key).header("Upload-Length", "10")
                .header("Upload-Metadata", "filename " + b64("a.png")).POST(HttpRequest.BodyPublishers.noBody()));
        assertProblem(r, 412, "tus_version_unsupported");
        assertEquals("1.0.0", r.headers().firstValue("Tus-Version").orElseThrow());
        HttpResponse<String> wrong = server.send(tus("/uploads", key).setHeader("Tus-Resumable", "0.2.2")
                .header("Upload-Length", "10").header("Upload-Metadata", "filename " + b64("a.png"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertProblem(wrong, 412, "tus_version_unsupported");
        assertEquals(0, TestDatabase.count("select count(*) from resumable_uploads"));
    }

    @Test
    void withoutAKeyIs401() {
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri("/uploads")).header("Tus-Resumable", "1.0.0")
                .header("Upload-Length", "10").header("Upload-Metadata", "filename " + b64("a.png"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(401, r.statusCode());
        assertEquals(0, TestDatabase.count("select count(*) from resumable_uploads"));
    }

    @Test
    void anotherUsersUploadIsNotFoundOnEveryMethod() {
        String location = location("mine.png", image.length);
        assertProblem(server.send(tus(location, otherKey).method("HEAD", HttpRequest.BodyPublishers.noBody())), 404, null);
        assertProblem(server.send(tus(location, otherKey).GET()), 404, "not_found");
        assertProblem(server.send(tus(location, otherKey).header("Content-Type", "application/offset+octet-stream")
                .header("Upload-Offset", "0").method("PATCH", HttpRequest.BodyPublishers.ofByteArray(new byte[10]))), 404, "not_found");
        assertProblem(server.send(tus(location, otherKey).DELETE()), 404, "not_found");
        assertEquals(0, offset(location));
        assertEquals(List.of(), parts());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "bad name          | 10       | filename Li4=                 | | 400 | invalid_filename",
            "no name           | 10       | onConflict cmVqZWN0           | | 400 | invalid_filename",
            "length 0          | 0        | filename YS5wbmc=             | | 400 | empty_file",
            "negative length   | -5       | filename YS5wbmc=             | | 400 | invalid_parameter",
            "non-numeric       | ten      | filename YS5wbmc=             | | 400 | invalid_parameter",
            "over the max      | 2000001  | filename YS5wbmc=             | | 413 | payload_too_large",
            "deferred length   |          | filename YS5wbmc=             | 1 | 400 | invalid_parameter",
            "not base64        | 10       | filename %%%                  | | 400 | invalid_parameter",
            "unknown policy    | 10       | filename YS5wbmc=,onConflict eA== | | 400 | invalid_parameter",
    })
    void aBadCreationIsRefusedBeforeAnyByte(String name, String length, String metadata, String defer, int status,
                                            String code) {
        HttpRequest.Builder b = tus("/uploads", key).header("Upload-Metadata", metadata);
        if (length != null) {
            b.header("Upload-Length", length);
        }
        if (defer != null) {
            b.header("Upload-Defer-Length", defer);
        }
        assertProblem(server.send(b.POST(HttpRequest.BodyPublishers.noBody())), status, code);
        assertEquals(0, TestDatabase.count("select count(*) from resumable_uploads"));
    }

    @Test
    void aWrongOffsetIsA409AndTheOffsetStays() {
        String location = location("offsets.png", image.length);
        assertEquals(204, patch(location, 0, Arrays.copyOfRange(image, 0, 1000)).statusCode());
        assertProblem(patch(location, 0, Arrays.copyOfRange(image, 0, 1000)), 409, "upload_offset_mismatch");
        assertProblem(patch(location, 5000, Arrays.copyOfRange(image, 5000, 6000)), 409, "upload_offset_mismatch");
        assertProblem(patch(location, -1, new byte[10]), 400, "invalid_parameter");
        assertEquals(1000, offset(location));
        assertEquals(1, parts().size());
    }

    @Test
    void aPostToAnUploadIsAChunkOnlyWithTheMethodOverride() {
        String location = location("override.png", image.length);
        HttpRequest.Builder post = tus(location, key).header("Content-Type", "application/offset+octet-stream")
                .header("Upload-Offset", "0");
        assertProblem(server.send(post.POST(HttpRequest.BodyPublishers.ofByteArray(new byte[10]))), 405, "method_not_allowed");
        assertEquals(0, offset(location));
        HttpResponse<String> r = server.send(tus(location, key).header("Content-Type", "application/offset+octet-stream")
                .header("Upload-Offset", "0").header("X-HTTP-Method-Override", "PATCH")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Arrays.copyOfRange(image, 0, 1000))));
        assertEquals(204, r.statusCode(), r::body);
        assertEquals(1000, offset(location));
    }

    @Test
    void browsersOfAnAllowedOriginMaySendAndReadTheTusHeaders() {
        HttpResponse<String> preflight = server.send(HttpRequest.newBuilder(server.uri("/uploads/x"))
                .header("Origin", ORIGIN).header("Access-Control-Request-Method", "PATCH")
                .header("Access-Control-Request-Headers", "authorization, tus-resumable, upload-offset, upload-checksum, content-type")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertEquals(ORIGIN, preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(""), preflight.headers()::toString);
        assertTrue(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse("").contains("PATCH"));
        String location = location("cors.png", image.length);
        HttpResponse<String> r = patch(location, 0, Arrays.copyOfRange(image, 0, 1000), "Origin", ORIGIN);
        assertEquals(204, r.statusCode(), r::body);
        String exposed = String.join(",", r.headers().allValues("Access-Control-Expose-Headers"));
        for (String header : List.of("Location", "Upload-Offset", "Upload-Length", "Upload-Expires", "Tus-Resumable",
                "Tus-Version", "Tus-Max-Size", "ImgStream-Image-Id")) {
            assertTrue(exposed.contains(header), header + " is exposed: " + exposed);
        }
    }

    @Test
    void aChunkOfAnotherTypeIs415() {
        String location = location("typed.png", image.length);
        assertProblem(server.send(tus(location, key).header("Content-Type", "image/png").header("Upload-Offset", "0")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(new byte[10]))), 415, "unsupported_media_type");
        assertEquals(0, offset(location));
    }

    @Test
    void aChunkOverTheRequestLimitOrBeyondTheLengthIs413AndNothingIsStored() {
        String location = location("limits.png", image.length);
        assertProblem(patch(location, 0, Arrays.copyOfRange(image, 0, CHUNK_LIMIT + 1)), 413, "payload_too_large");
        String small = location("small.png", 100);
        assertProblem(patch(small, 0, new byte[101]), 413, "payload_too_large");
        assertEquals(0, offset(location));
        assertEquals(0, offset(small));
        assertEquals(List.of(), parts());
    }

    @Test
    void aChecksumMismatchIs460AndTheChunkIsDiscarded() throws Exception {
        String location = location("summed.png", image.length);
        byte[] chunk = Arrays.copyOfRange(image, 0, 1000);
        String wrong = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1").digest(new byte[]{1}));
        HttpResponse<String> r = patch(location, 0, chunk, "Upload-Checksum", "sha1 " + wrong);
        assertProblem(r, 460, "checksum_mismatch");
        assertEquals(0, offset(location));
        assertEquals(List.of(), parts());
        assertProblem(patch(location, 0, chunk, "Upload-Checksum", "crc32 AAAA"), 400, "invalid_parameter");
        String right = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1").digest(chunk));
        assertEquals(204, patch(location, 0, chunk, "Upload-Checksum", "sha1 " + right).statusCode());
        assertEquals(1000, offset(location));
    }
}
