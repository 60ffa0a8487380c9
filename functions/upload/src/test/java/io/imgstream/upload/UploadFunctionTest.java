package io.imgstream.upload;

import io.imgstream.support.FunctionServer;
import io.imgstream.dev.TestDatabase;
import io.imgstream.dev.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** POST /images and DELETE /images/{id} over real HTTP through the Functions Framework invoker. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UploadFunctionTest {

    static final int LIMIT = 200_000;
    private FunctionServer server;
    private String key;
    private String otherKey;

    @BeforeAll
    void start() {
        server = FunctionServer.http(Map.of("imgstream.max-upload-bytes", Integer.toString(LIMIT),
                "imgstream.max-image-pixels", "1000000"));
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

    HttpResponse<String> raw(String filename, byte[] body, String query, String contentType, String apiKey) {
        String q = "/images?filename=" + URLEncoder.encode(filename, StandardCharsets.UTF_8).replace("+", "%20")
                + (query == null ? "" : "&" + query);
        return server.send(HttpRequest.newBuilder(server.uri(q)).header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    /** A raw upload to {@code pathAndQuery} exactly as written (no encoding of the name). */
    HttpResponse<String> postTo(String pathAndQuery, byte[] body) {
        return server.send(HttpRequest.newBuilder(server.uri(pathAndQuery))
                .header("Authorization", "Bearer " + key).POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    HttpResponse<String> raw(String filename, byte[] body, String query) {
        return raw(filename, body, query, "application/octet-stream", key);
    }

    HttpResponse<String> raw(String filename, byte[] body) {
        return raw(filename, body, null);
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"?([^\",}]*)\"?").matcher(json);
        return m.find() ? m.group(1) : null;
    }

    long rows() {
        return TestDatabase.count("select count(*) from images");
    }

    long pending() {
        return TestDatabase.count("select count(*) from pending_uploads");
    }

    List<Path> objects() {
        try (Stream<Path> files = Files.walk(server.storageDirectory())) {
            return files.filter(Files::isRegularFile).filter(p -> !p.toString().contains(".partial")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void assertNothingStored() {
        assertEquals(0, rows(), "no image row");
        assertEquals(0, pending(), "no pending intent");
        assertEquals(List.of(), objects(), "no object");
        assertEquals(0, TestDatabase.count("select count(*) from event_outbox"), "no event");
    }

    static void assertProblem(HttpResponse<String> r, int status, String code) {
        assertEquals(status, r.statusCode(), r::body);
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""), r::body);
        assertEquals(code, field(r.body(), "code"), r::body);
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    // ---- storing

    @Test
    void storesARawUploadAndAnswersItsMetadata() throws Exception {
        byte[] png = TestImages.png(1);
        HttpResponse<String> r = raw("Holiday.PNG", png);
        assertEquals(201, r.statusCode(), r::body);
        String id = field(r.body(), "id");
        assertEquals("/images/" + id, r.headers().firstValue("Location").orElse(""));
        assertEquals("Holiday.PNG", field(r.body(), "filename"));
        assertEquals("image/png", field(r.body(), "contentType"));
        assertEquals(Integer.toString(png.length), field(r.body(), "sizeBytes"));
        assertEquals(sha256(png), field(r.body(), "sha256"));
        assertEquals("8", field(r.body(), "width"));
        assertEquals("6", field(r.body(), "height"));
        assertEquals("1", field(r.body(), "version"));
        assertTrue(r.body().contains("\"sameContentAs\":[]"), r::body);
        assertTrue(!r.body().contains("users/"), "no object names in responses");
        assertEquals(1, objects().size());
        assertArrayEquals(png, Files.readAllBytes(objects().get(0)));
        assertEquals(0, pending());
        assertEquals(1, TestDatabase.count("select count(*) from event_outbox where event_type = 'image.uploaded'"));
    }

    @Test
    void readsTheCaptureTimeFromExif() {
        HttpResponse<String> r = raw("taken.jpg", TestImages.jpegTakenAt("2021:07:14 09:30:05", 2));
        assertEquals(201, r.statusCode(), r::body);
        assertEquals("2021-07-14T09:30:05Z", field(r.body(), "takenAt"));
        assertEquals("image/jpeg", field(r.body(), "contentType"));
    }

    @Test
    void recognisesEveryAcceptedFormatByItsBytes() {
        assertEquals("image/gif", field(raw("a.bin", TestImages.encoded("gif", 4, 4, 3)).body(), "contentType"));
        assertEquals("image/bmp", field(raw("b.bin", TestImages.encoded("bmp", 4, 4, 4)).body(), "contentType"));
        assertEquals("image/tiff", field(raw("c.bin", TestImages.encoded("tiff", 4, 4, 5)).body(), "contentType"));
        HttpResponse<String> webp = raw("d.bin", TestImages.webp(640, 480));
        assertEquals("image/webp", field(webp.body(), "contentType"), webp::body);
        assertEquals("640", field(webp.body(), "width"), webp::body);
        assertEquals("image/heic", field(raw("e.bin", TestImages.isoBmff("heic")).body(), "contentType"));
        assertEquals("image/avif", field(raw("f.bin", TestImages.isoBmff("avif")).body(), "contentType"));
        assertEquals("image/heif", field(raw("g.bin", TestImages.isoBmff("mif1")).body(), "contentType"));
    }

    // ---- policies

    @Test
    void rejectsASecondUploadOfTheSameNameUnderReject() {
        String first = field(raw("IMG_1.JPG", TestImages.png(1)).body(), "id");
        HttpResponse<String> r = raw("img_1.jpg", TestImages.png(2));
        assertProblem(r, 409, "filename_conflict");
        assertTrue(r.body().contains("\"existing\":{\"id\":\"" + first + "\""), r::body);
        assertEquals(1, rows());
        assertEquals(1, objects().size());
    }

    @Test
    void theConflictShowsTheExistingImageWithItsCopies() {
        byte[] png = TestImages.png(31);
        String first = field(raw("held.png", png).body(), "id");
        String copy = field(raw("held copy.png", png).body(), "id");
        HttpResponse<String> r = raw("HELD.png", TestImages.png(32));
        assertProblem(r, 409, "filename_conflict");
        assertTrue(r.body().contains("\"existing\":{\"id\":\"" + first + "\""), r::body);
        assertTrue(r.body().contains("\"sameContentAs\":[\"" + copy + "\"]"), r::body);
        assertTrue(r.body().contains("\"orientation\":1,\"displayWidth\":8,\"displayHeight\":6"), r::body);
        assertTrue(r.body().contains("\"thumbnailUrl\":\"/images/" + first + "/thumbnail?v=1{&size,fit,format}\""), r::body);
        assertEquals(2, rows());
        assertEquals(2, objects().size());
    }

    @Test
    void nfdAndCaseVariantsCollideWithTheNfcName() {
        assertEquals(201, raw("café.png", TestImages.png(1)).statusCode());
        assertProblem(raw(Normalizer.normalize("CAFÉ.png", Normalizer.Form.NFD), TestImages.png(2)), 409, "filename_conflict");
    }

    @Test
    void resendingTheSameBytesIsAnIdempotentRetryUnderEveryPolicy() {
        byte[] png = TestImages.png(7);
        String id = field(raw("same.png", png).body(), "id");
        for (String policy : List.of("reject", "overwrite", "rename", "skip")) {
            HttpResponse<String> r = raw("SAME.png", png, "onConflict=" + policy);
            assertEquals(200, r.statusCode(), () -> policy + ": " + r.body());
            assertEquals(id, field(r.body(), "id"));
            assertEquals("1", field(r.body(), "version"));
        }
        assertEquals(1, rows());
        assertEquals(1, objects().size());
    }

    @Test
    void overwriteKeepsTheIdAndBumpsTheVersion() throws Exception {
        String id = field(raw("o.png", TestImages.png(1)).body(), "id");
        byte[] second = TestImages.png(2);
        HttpResponse<String> r = raw("O.PNG", second, "onConflict=overwrite");
        assertEquals(200, r.statusCode(), r::body);
        assertEquals(id, field(r.body(), "id"));
        assertEquals("2", field(r.body(), "version"));
        assertEquals(sha256(second), field(r.body(), "sha256"));
        assertEquals("o.png", field(r.body(), "filename"));
        assertEquals(1, rows());
        assertEquals(1, TestDatabase.count("select count(*) from retired_objects"), "the old object awaits cleanup");
        assertEquals(2, objects().size());
        assertEquals(1, TestDatabase.count("select count(*) from event_outbox where event_type = 'image.replaced'"));
    }

    @Test
    void renamePicksTheFirstFreeNumberedName() {
        raw("r.png", TestImages.png(1));
        HttpResponse<String> first = raw("R.png", TestImages.png(2), "onConflict=rename");
        assertEquals(201, first.statusCode(), first::body);
        assertEquals("R (1).png", field(first.body(), "filename"));
        assertEquals("r (2).png", field(raw("r.png", TestImages.png(3), "onConflict=rename").body(), "filename"));
        assertEquals(3, rows());
    }

    @Test
    void skipStoresNothingAndAnswersTheExistingImage() {
        String id = field(raw("s.png", TestImages.png(1)).body(), "id");
        HttpResponse<String> r = raw("s.png", TestImages.png(2), "onConflict=skip");
        assertEquals(200, r.statusCode(), r::body);
        assertEquals(id, field(r.body(), "id"));
        assertEquals(1, rows());
        assertEquals(1, objects().size());
    }

    @Test
    void reportsOtherImagesWithTheSameContent() {
        byte[] png = TestImages.png(9);
        String first = field(raw("one.png", png).body(), "id");
        HttpResponse<String> r = raw("two.png", png);
        assertEquals(201, r.statusCode());
        assertTrue(r.body().contains("\"sameContentAs\":[\"" + first + "\"]"), r::body);
        // another user's identical bytes are not theirs to learn about
        HttpResponse<String> other = raw("three.png", png, null, "image/png", otherKey);
        assertTrue(other.body().contains("\"sameContentAs\":[]"), other::body);
    }

    /** Frameworks disagree on whether the first or the last of a repeated parameter wins; here neither does. */
    @Test
    void aRepeatedParameterIsRefusedAndNothingChanges() throws Exception {
        assertProblem(postTo("/images?filename=one.png&filename=two.png", TestImages.png(1)), 400, "invalid_parameter");
        assertNothingStored();
        HttpResponse<String> first = raw("kept.png", TestImages.png(2));
        assertEquals(201, first.statusCode(), first::body);
        HttpResponse<String> r = postTo("/images?filename=kept.png&onConflict=skip&onConflict=overwrite", TestImages.png(3));
        assertProblem(r, 400, "invalid_parameter");
        assertTrue(r.body().contains("onConflict"), r::body);
        assertEquals(1, rows());
        assertEquals(1, objects().size());
        assertEquals(1, TestDatabase.count("select count(*) from images where version = 1 and sha256 = decode('"
                + sha256(TestImages.png(2)) + "', 'hex')"), "the first image, untouched");
    }

    @Test
    void anUnknownPolicyIsRefused() {
        assertProblem(raw("p.png", TestImages.png(1), "onConflict=clobber"), 400, "invalid_parameter");
        assertNothingStored();
    }

    // ---- refusals: each stores nothing

    @Test
    void refusesAnUploadFromAnotherOrigin() {
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri("/images?filename=cors.png"))
                .header("Authorization", "Bearer " + key).header("Origin", "https://evil.example")
                .POST(HttpRequest.BodyPublishers.ofByteArray(TestImages.png(7))));
        assertProblem(r, 403, "origin_not_allowed");
        assertNothingStored();
    }

    @Test
    void refusesAnEmptyBody() {
        assertProblem(raw("empty.png", new byte[0]), 400, "empty_file");
        assertNothingStored();
    }

    /** A gzipped body would otherwise be stored as what it is not, or refused as "not an image" when it is one. */
    @Test
    void refusesABodyWithAContentCoding() throws IOException {
        var gzipped = new java.io.ByteArrayOutputStream();
        try (var gzip = new java.util.zip.GZIPOutputStream(gzipped)) {
            gzip.write(TestImages.png(1));
        }
        for (byte[] body : List.of(gzipped.toByteArray(), TestImages.png(1))) {
            HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri("/images?filename=z.png"))
                    .header("Authorization", "Bearer " + key).header("Content-Encoding", "gzip")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
            assertProblem(r, 415, "unsupported_media_type");
            assertEquals("identity", r.headers().firstValue("Accept-Encoding").orElse(""));
            assertTrue(field(r.body(), "detail").contains("gzip"), r::body);
        }
        assertNothingStored();
        HttpResponse<String> identity = server.send(HttpRequest.newBuilder(server.uri("/images?filename=z.png"))
                .header("Authorization", "Bearer " + key).header("Content-Encoding", "identity")
                .POST(HttpRequest.BodyPublishers.ofByteArray(TestImages.png(1))));
        assertEquals(201, identity.statusCode(), identity::body);
    }

    @Test
    void refusesTextNamedJpg() {
        assertProblem(raw("notes.jpg", TestImages.TEXT), 415, "unsupported_media_type");
        assertNothingStored();
    }

    @Test
    void refusesPhpInAPng() {
        assertProblem(raw("shell.png", TestImages.PHP), 415, "unsupported_media_type");
        assertNothingStored();
    }

    @Test
    void refusesPhpBehindAPngSignature() {
        assertProblem(raw("shell.png", TestImages.PHP_AFTER_PNG_SIGNATURE), 415, "unsupported_media_type");
        assertNothingStored();
    }

    @Test
    void refusesANameWhosePercentEncodingIsNotUtf8() {
        assertProblem(postTo("/images?filename=%FF%FE.png", TestImages.png(1)), 400, "invalid_filename");
        assertNothingStored();
    }

    @Test
    void refusesSvgWithScript() {
        assertProblem(raw("logo.svg", TestImages.SVG, null, "image/svg+xml", key), 415, "unsupported_media_type");
        assertNothingStored();
    }

    @Test
    void refusesHtmlDeclaredAsPng() {
        assertProblem(raw("page.png", TestImages.HTML, null, "image/png", key), 415, "unsupported_media_type");
        assertNothingStored();
    }

    @Test
    void refusesAPngDeclaringTooManyPixels() {
        assertProblem(raw("huge.png", TestImages.pngHeader(65535, 65535)), 422, "image_too_large");
        assertNothingStored();
    }

    @Test
    void acceptsExactlyTheLimitAndRefusesOneByteMore() {
        assertEquals(201, raw("limit.png", TestImages.pngOfSize(LIMIT, 1)).statusCode());
        TestDatabase.truncateAll();
        server.keyFor("alice");
        objects().forEach(p -> p.toFile().delete());
        key = server.keyFor("alice");
        assertProblem(raw("over.png", TestImages.pngOfSize(LIMIT + 1, 1)), 413, "payload_too_large");
        assertNothingStored();
    }

    /** Each part fits, the request does not: refused before any part is read, so the first part is not stored either. */
    @Test
    void refusesAMultipartRequestOverTheLimitBeforeReadingIt() {
        byte[] body = multipart("XB", "one.png", TestImages.pngOfSize(LIMIT / 2 + 1000, 1),
                "two.png", TestImages.pngOfSize(LIMIT / 2 + 1000, 2));
        assertProblem(postMultipart(body, "XB", null), 413, "payload_too_large");
        assertNothingStored();
    }

    HttpResponse<String> postMultipartChunked(byte[] body, String boundary) {
        return server.send(HttpRequest.newBuilder(server.uri("/images")).header("Authorization", "Bearer " + key)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));
    }

    @Test
    void boundsAChunkedMultipartRequestAsAWholeAndKeepsThePartsStoredBeforeTheLimit() {
        // No Content-Length: each part is under the limit, the request is not. The first part is stored and answered,
        // the part that crosses the limit gets the 413, and nothing after it is read.
        byte[] first = TestImages.pngOfSize(LIMIT / 2 + 1000, 1);
        byte[] body = multipart("CB", "one.png", first, "two.png", TestImages.pngOfSize(LIMIT / 2 + 1000, 2),
                "three.png", TestImages.png(3));
        HttpResponse<String> r = postMultipartChunked(body, "CB");
        assertEquals(200, r.statusCode(), r::body);
        assertTrue(r.body().matches("\\{\"results\":\\[\\{\"status\":201,\"image\":\\{.*\"filename\":\"one.png\".*\\}\\},"
                + "\\{\"status\":413,\"problem\":\\{[^{}]*\"code\":\"payload_too_large\"[^{}]*\\}\\}\\]\\}"), r::body);
        assertEquals(1, rows());
        assertEquals(0, pending(), "no intent left by the refused part");
        assertEquals(1, objects().size(), "only the stored part's object");
        assertEquals(1, TestDatabase.count("select count(*) from event_outbox"));
        assertEquals(1, TestDatabase.count("select count(*) from images where filename = 'one.png'"));
    }

    @Test
    void refusesAChunkedMultipartRequestWhoseFirstPartPassesTheLimit() {
        byte[] body = multipart("CB", "big.png", TestImages.pngOfSize(LIMIT + 1000, 1), "small.png", TestImages.png(2));
        assertProblem(postMultipartChunked(body, "CB"), 413, "payload_too_large");
        assertNothingStored();
    }

    @Test
    void refusesAnOversizedBodyWithoutContentLengthWhileStreaming() {
        byte[] body = TestImages.pngOfSize(LIMIT + 50_000, 1);
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri("/images?filename=chunked.png"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "image/png")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));
        assertProblem(r, 413, "payload_too_large");
        assertNothingStored();
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x.png", "a/b.png", "a\\b.png", ".", "..", "nul\u0000.png", "cr\r.png", "lf\n.png",
            "evil\u202Egnp.png"})
    void refusesNamesThatAreNotSafeBaseNames(String name) {
        assertProblem(raw(name, TestImages.png(1)), 400, "invalid_filename");
        assertNothingStored();
    }

    @Test
    void refusesA256ByteName() {
        assertProblem(raw("a".repeat(252) + ".png", TestImages.png(1)), 400, "invalid_filename");
        assertNothingStored();
        assertEquals(201, raw("a".repeat(251) + ".png", TestImages.png(1)).statusCode());
    }

    @Test
    void refusesARawBodyWithoutAName() {
        assertProblem(postTo("/images", TestImages.png(1)), 400, "invalid_filename");
        assertNothingStored();
    }

    // ---- multipart

    static byte[] multipart(String boundary, Object... nameAndBytes) {
        var out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < nameAndBytes.length; i += 2) {
            out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                    + nameAndBytes[i] + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.writeBytes((byte[]) nameAndBytes[i + 1]);
            out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    HttpResponse<String> postMultipart(byte[] body, String boundary, String query) {
        return server.send(HttpRequest.newBuilder(server.uri("/images" + (query == null ? "" : "?" + query)))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    @Test
    void multipartAnswersOneResultPerPartInOrder() {
        raw("taken.png", TestImages.png(1));
        byte[] body = multipart("XyZ", "a.png", TestImages.png(2), "notes.jpg", TestImages.TEXT, "taken.png",
                TestImages.png(3), "b.gif", TestImages.encoded("gif", 3, 3, 4));
        HttpResponse<String> r = postMultipart(body, "XyZ", null);
        assertEquals(200, r.statusCode(), r::body);
        Matcher statuses = Pattern.compile("\\{\"status\":(\\d+)").matcher(r.body());
        List<String> found = new ArrayList<>();
        while (statuses.find()) {
            found.add(statuses.group(1));
        }
        assertEquals(List.of("201", "415", "409", "201"), found, r::body);
        assertTrue(r.body().contains("\"code\":\"unsupported_media_type\""), r::body);
        assertTrue(r.body().contains("\"code\":\"filename_conflict\""), r::body);
        assertEquals(3, rows());
        assertEquals(3, objects().size());
    }

    @Test
    void multipartHonoursThePolicy() {
        raw("m.png", TestImages.png(1));
        HttpResponse<String> r = postMultipart(multipart("b1", "m.png", TestImages.png(2)), "b1", "onConflict=rename");
        assertTrue(r.body().contains("\"filename\":\"m (1).png\""), r::body);
    }

    static byte[] formField(String boundary, String name, String value) {
        return ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** What an HTML form sends: the policy as a field before the files. */
    @Test
    void multipartTakesThePolicyFromAFormFieldBeforeTheFiles() {
        raw("f.png", TestImages.png(1));
        HttpResponse<String> r = postMultipart(TestImages.concat(formField("F1", "onConflict", "rename"),
                multipart("F1", "f.png", TestImages.png(2))), "F1", null);
        assertEquals(200, r.statusCode(), r::body);
        assertTrue(r.body().contains("\"filename\":\"f (1).png\""), r::body);
        assertEquals(2, rows());
    }

    @Test
    void aPolicyFieldThatCannotApplyIsRefusedNotIgnored() {
        String original = field(raw("g.png", TestImages.png(1)).body(), "id");
        // Given twice (query and field), or unknown: refused whole before anything is read into storage.
        for (String[] attempt : new String[][] {{"overwrite", "onConflict=rename"}, {"replace", null}}) {
            HttpResponse<String> r = postMultipart(TestImages.concat(formField("F2", "onConflict", attempt[0]),
                    multipart("F2", "g.png", TestImages.png(2))), "F2", attempt[1]);
            assertProblem(r, 400, "invalid_parameter");
            assertEquals(1, rows());
            assertEquals(1, objects().size());
        }
        // After the files it came too late for them: they were stored under reject, and the field gets its own answer.
        byte[] files = multipart("F3", "g.png", TestImages.png(2));
        byte[] open = java.util.Arrays.copyOf(files, files.length - "--F3--\r\n".length()); // the closing delimiter off
        HttpResponse<String> late = postMultipart(TestImages.concat(TestImages.concat(open,
                formField("F3", "onConflict", "overwrite")), "--F3--\r\n".getBytes(StandardCharsets.UTF_8)), "F3", null);
        assertEquals(200, late.statusCode(), late::body);
        assertTrue(late.body().matches("\\{\"results\":\\[\\{\"status\":409,.*\"code\":\"filename_conflict\".*\\},"
                + "\\{\"status\":400,\"problem\":\\{.*\"code\":\"invalid_parameter\".*\\}\\}\\]\\}"), late::body);
        assertEquals(1, rows());
        assertEquals(1, objects().size());
        assertEquals(1, TestDatabase.count("select count(*) from images where id = '" + original + "' and version = 1"));
    }

    /** ?filename= names a raw body; with multipart it would be silently ignored, so it is refused, nothing stored. */
    @Test
    void aFilenameInTheQueryOfAMultipartUploadIsRefusedNotIgnored() {
        HttpResponse<String> r = postMultipart(multipart("FQ", "part.png", TestImages.png(1)), "FQ", "filename=wanted.png");
        assertProblem(r, 400, "invalid_parameter");
        assertTrue(r.body().contains("a multipart upload takes each name from its part"), r::body);
        assertNothingStored();
    }

    @Test
    void aMalformedMultipartBodyIsABadRequest() {
        HttpResponse<String> r = postMultipart("--nope\r\nthis is not multipart".getBytes(StandardCharsets.UTF_8), "XyZ", null);
        assertEquals(400, r.statusCode(), r::body);
        assertNothingStored();
    }

    // ---- delete

    HttpResponse<String> delete(String id, String apiKey) {
        return server.send(HttpRequest.newBuilder(server.uri("/images/" + id))
                .header("Authorization", "Bearer " + apiKey).DELETE());
    }

    @Test
    void deleteIsSoftAndFreesTheNameAtOnce() {
        String id = field(raw("d.png", TestImages.png(1)).body(), "id");
        assertEquals(204, delete(id, key).statusCode());
        assertEquals(1, TestDatabase.count("select count(*) from images where status = 'DELETED'"));
        assertEquals(1, objects().size(), "bytes stay until cleanup purges them");
        assertEquals(201, raw("d.png", TestImages.png(2)).statusCode());
        assertEquals(1, TestDatabase.count("select count(*) from event_outbox where event_type = 'image.deleted'"));
        assertProblem(delete(id, key), 404, "not_found");
    }

    @Test
    void anotherUsersImageAnswersExactlyLikeAMissingOne() {
        String id = field(raw("mine.png", TestImages.png(1)).body(), "id");
        HttpResponse<String> theirs = delete(id, otherKey);
        HttpResponse<String> missing = delete("6f1c2d3e-0000-4000-8000-000000000000", otherKey);
        assertProblem(theirs, 404, "not_found");
        assertEquals(missing.statusCode(), theirs.statusCode());
        assertEquals(field(missing.body(), "detail"), field(theirs.body(), "detail"));
        assertProblem(delete("not-a-uuid", key), 404, "not_found");
        assertEquals(1, TestDatabase.count("select count(*) from images where status = 'LIVE'"));
    }

    // ---- conditional changes (RFC 9110 §13.1)

    /** A raw upload with extra request headers (name, value, …). */
    HttpResponse<String> rawWith(String filename, byte[] body, String query, String... headers) {
        return server.send(HttpRequest.newBuilder(server.uri("/images?filename=" + filename + (query == null ? "" : "&" + query)))
                .header("Authorization", "Bearer " + key).headers(headers).POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    HttpResponse<String> deleteWith(String id, String... headers) {
        return server.send(HttpRequest.newBuilder(server.uri("/images/" + id)).header("Authorization", "Bearer " + key)
                .headers(headers).DELETE());
    }

    static String etag(HttpResponse<String> uploaded) {
        return "\"" + field(uploaded.body(), "sha256") + "-" + field(uploaded.body(), "version") + "\"";
    }

    long events() {
        return TestDatabase.count("select count(*) from event_outbox");
    }

    @Test
    void overwriteUnderIfMatchReplacesOnlyTheVersionTheClientSaw() throws Exception {
        HttpResponse<String> v1 = raw("cond.png", TestImages.png(1));
        assertEquals(etag(v1), v1.headers().firstValue("ETag").orElse(""), "the upload answers the version's ETag");
        HttpResponse<String> v2 = rawWith("cond.png", TestImages.png(2), "onConflict=overwrite", "If-Match", etag(v1));
        assertEquals(etag(v2), v2.headers().firstValue("ETag").orElse(""));
        assertEquals(200, v2.statusCode(), v2::body);
        assertEquals("2", field(v2.body(), "version"));

        // A second client still holding version 1 would undo the first one's change: refused, nothing kept of it.
        HttpResponse<String> stale = rawWith("cond.png", TestImages.png(3), "onConflict=overwrite", "If-Match", etag(v1));
        assertProblem(stale, 412, "precondition_failed");
        assertTrue(stale.body().contains("\"existing\":{"), stale::body);
        assertEquals(sha256(TestImages.png(2)), field(stale.body().substring(stale.body().indexOf("\"existing\"")), "sha256"));
        assertEquals(1, rows());
        assertEquals(2, TestDatabase.count("select version from images"));
        assertEquals(2, objects().size(), "version 1's retired object and version 2's; none of the refused upload");
        assertEquals(0, pending());
        assertEquals(2, events(), "uploaded and replaced, nothing for the refusal");

        // The same overwrite retried after its answer was lost: its change is already there, so 200, not 412.
        HttpResponse<String> retried = rawWith("cond.png", TestImages.png(2), "onConflict=overwrite", "If-Match", etag(v1));
        assertEquals(200, retried.statusCode(), retried::body);
        assertEquals("2", field(retried.body(), "version"));
        assertEquals(2, objects().size());
    }

    @Test
    void ifMatchOnAnUploadOfAMissingNameStoresNothing() {
        HttpResponse<String> r = rawWith("nobody.png", TestImages.png(1), "onConflict=overwrite", "If-Match", "*");
        assertProblem(r, 412, "precondition_failed");
        assertNothingStored();
    }

    @Test
    void ifNoneMatchStarMakesAnUploadCreateOnly() {
        assertEquals(201, rawWith("once.png", TestImages.png(1), null, "If-None-Match", "*").statusCode());
        HttpResponse<String> second = rawWith("ONCE.png", TestImages.png(2), "onConflict=overwrite", "If-None-Match", "*");
        assertProblem(second, 412, "precondition_failed");
        assertEquals(1, TestDatabase.count("select version from images"));
        assertEquals(1, objects().size());
        assertEquals(1, events());
        HttpResponse<String> retry = rawWith("once.png", TestImages.png(1), null, "If-None-Match", "*");
        assertEquals(200, retry.statusCode(), "re-sending the same bytes stays an idempotent retry: " + retry.body());
    }

    @Test
    void aFilePartWithoutAFilenameGetsItsOwnRefusal() {
        byte[] body = ("--NF\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        body = TestImages.concat(body, TestImages.png(1));
        body = TestImages.concat(body, ("\r\n--NF\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body = TestImages.concat(body, multipart("NF", "named.png", TestImages.png(2)));
        HttpResponse<String> r = postMultipart(body, "NF", null);
        assertEquals(200, r.statusCode(), r::body);
        assertTrue(r.body().matches("\\{\"results\":\\[\\{\"status\":400,\"problem\":\\{.*\"code\":\"invalid_filename\".*\\}\\},"
                + "\\{\"status\":201,\"image\":\\{.*\"filename\":\"named.png\".*\\}\\}\\]\\}"), r::body);
        assertEquals(1, rows());
        assertEquals(1, objects().size());
    }

    @Test
    void multipartAppliesTheRequestsPreconditionsToEachPart() {
        raw("here.png", TestImages.png(1));
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri("/images?onConflict=overwrite"))
                .header("Authorization", "Bearer " + key).header("If-None-Match", "*")
                .header("Content-Type", "multipart/form-data; boundary=PC")
                .POST(HttpRequest.BodyPublishers.ofByteArray(multipart("PC", "here.png", TestImages.png(2),
                        "new.png", TestImages.png(3)))));
        assertEquals(200, r.statusCode(), r::body);
        assertTrue(r.body().matches("\\{\"results\":\\[\\{\"status\":412,\"problem\":\\{.*\"code\":\"precondition_failed\".*\\}\\},"
                + "\\{\"status\":201,\"image\":\\{.*\"filename\":\"new.png\".*\\}\\}\\]\\}"), r::body);
        assertEquals(1, TestDatabase.count("select version from images where filename = 'here.png'"));
        assertEquals(2, objects().size());
    }

    @Test
    void deleteUnderAPreconditionDeletesOnlyTheVersionTheClientSaw() {
        HttpResponse<String> v1 = raw("del.png", TestImages.png(1));
        String id = field(v1.body(), "id");
        HttpResponse<String> v2 = raw("del.png", TestImages.png(2), "onConflict=overwrite");

        HttpResponse<String> stale = deleteWith(id, "If-Match", etag(v1));
        assertProblem(stale, 412, "precondition_failed");
        assertTrue(stale.body().contains("\"version\":2"), stale::body);
        HttpResponse<String> old = deleteWith(id, "If-Unmodified-Since", "Sun, 06 Nov 1994 08:49:37 GMT");
        assertProblem(old, 412, "precondition_failed");
        assertEquals(1, TestDatabase.count("select count(*) from images where status = 'LIVE'"));
        assertEquals(0, TestDatabase.count("select count(*) from event_outbox where event_type = 'image.deleted'"));

        // The metadata's ETag (the content's with a suffix for its copies) names the version as well.
        String metadataEtag = etag(v2).replace("-2\"", "-2-1a2b3c4d\"");
        assertEquals(204, deleteWith(id, "If-Match", "\"other\", " + metadataEtag).statusCode());
        assertEquals(1, TestDatabase.count("select count(*) from event_outbox where event_type = 'image.deleted'"));
        assertProblem(deleteWith(id, "If-Match", "*"), 404, "not_found");
    }

    @Test
    void aConditionalDeleteOfAnotherUsersImageAnswersLikeAMissingOne() {
        HttpResponse<String> mine = raw("private.png", TestImages.png(1));
        HttpResponse<String> theirs = server.send(HttpRequest.newBuilder(server.uri("/images/" + field(mine.body(), "id")))
                .header("Authorization", "Bearer " + otherKey).header("If-Match", "\"nope\"").DELETE());
        assertProblem(theirs, 404, "not_found");
        assertEquals(1, TestDatabase.count("select count(*) from images where status = 'LIVE'"));
    }

    // ---- concurrency

    <T> List<T> concurrently(int n, Callable<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return task.call();
                }));
            }
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void twentyConcurrentUploadsOfOneNameUnderRejectHaveExactlyOneWinner() throws Exception {
        java.util.concurrent.atomic.AtomicInteger seed = new java.util.concurrent.atomic.AtomicInteger(100);
        List<HttpResponse<String>> results = concurrently(20, () -> raw("race.png", TestImages.png(seed.incrementAndGet())));
        long created = results.stream().filter(r -> r.statusCode() == 201).count();
        long conflicts = results.stream().filter(r -> r.statusCode() == 409).count();
        assertEquals(1, created, () -> results.stream().map(r -> r.statusCode() + "").toList().toString());
        assertEquals(19, conflicts);
        assertEquals(1, rows());
        assertEquals(1, objects().size(), "losers' objects are removed");
        HttpResponse<String> winner = results.stream().filter(r -> r.statusCode() == 201).findFirst().orElseThrow();
        assertEquals(field(winner.body(), "sha256"), sha256(Files.readAllBytes(objects().get(0))));
    }

    @Test
    void concurrentOverwritesOfOneVersionUnderIfMatchHaveExactlyOneWinner() throws Exception {
        String seen = etag(raw("shared.png", TestImages.png(1)));
        java.util.concurrent.atomic.AtomicInteger seed = new java.util.concurrent.atomic.AtomicInteger(300);
        List<HttpResponse<String>> results = concurrently(10, () -> rawWith("shared.png",
                TestImages.png(seed.incrementAndGet()), "onConflict=overwrite", "If-Match", seen));
        List<Integer> statuses = results.stream().map(HttpResponse::statusCode).toList();
        assertEquals(1, statuses.stream().filter(s -> s == 200).count(), statuses::toString);
        assertEquals(9, statuses.stream().filter(s -> s == 412).count(), statuses::toString);
        assertEquals(2, TestDatabase.count("select version from images"), "one replacement, not ten");
        HttpResponse<String> winner = results.stream().filter(r -> r.statusCode() == 200).findFirst().orElseThrow();
        assertEquals(field(winner.body(), "sha256"), sha256(Files.readAllBytes(server.storageDirectory().resolve(
                TestDatabase.string("select object_name from images")))));
        assertEquals(2, objects().size(), "the losers' objects are removed");
    }

    @Test
    void twelveConcurrentUploadsUnderRenameAllSucceedWithDistinctNames() throws Exception {
        java.util.concurrent.atomic.AtomicInteger seed = new java.util.concurrent.atomic.AtomicInteger(200);
        List<HttpResponse<String>> results = concurrently(12,
                () -> raw("pile.png", TestImages.png(seed.incrementAndGet()), "onConflict=rename"));
        assertTrue(results.stream().allMatch(r -> r.statusCode() == 201),
                () -> results.stream().map(HttpResponse::body).toList().toString());
        assertEquals(12, results.stream().map(r -> field(r.body(), "filename")).distinct().count());
        assertEquals(12, rows());
    }
}
