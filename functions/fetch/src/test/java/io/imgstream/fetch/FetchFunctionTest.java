package io.imgstream.fetch;

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
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fetch function over real HTTP through the Functions Framework invoker. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FetchFunctionTest {

    private FunctionServer server;
    private String key;
    private String otherKey;
    private Caller caller;

    @BeforeAll
    void start() {
        server = FunctionServer.http(Map.of("imgstream.max-upload-bytes", Integer.toString(40 * 1024 * 1024)));
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
        caller = server.sideContext().getBean(AuthenticateCaller.class).authenticate(null, key);
    }

    String upload(String name, byte[] bytes) {
        return server.sideContext().getBean(UploadImage.class).upload(new UploadCommand(caller, name,
                new ByteArrayInputStream(bytes), bytes.length, ConflictPolicy.REJECT)).image().id().toString();
    }

    HttpResponse<String> get(String path, String apiKey, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path)).header("Authorization", "Bearer " + apiKey).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return server.send(b);
    }

    HttpResponse<byte[]> bytes(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path)).header("Authorization", "Bearer " + key).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return server.sendForBytes(b);
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"?([^\",}]*)\"?").matcher(json);
        return m.find() ? m.group(1) : null;
    }

    static List<String> all(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    // ---- metadata

    @Test
    void getsMetadataByIdAndByNameCaseInsensitively() {
        String id = upload("Sunset.PNG", TestImages.png(1));
        HttpResponse<String> byId = get("/images/" + id, key);
        assertEquals(200, byId.statusCode(), byId::body);
        assertEquals("Sunset.PNG", field(byId.body(), "filename"));
        HttpResponse<String> byName = get("/images/by-name?filename=sunset.png", key);
        assertEquals(200, byName.statusCode(), byName::body);
        assertEquals(id, field(byName.body(), "id"));
    }

    @Test
    void anotherUsersImageAnswersLikeAMissingOne() {
        String id = upload("mine.png", TestImages.png(1));
        HttpResponse<String> theirs = get("/images/" + id, otherKey);
        HttpResponse<String> missing = get("/images/7a0f0000-0000-4000-8000-000000000000", otherKey);
        assertEquals(404, theirs.statusCode());
        assertEquals(missing.statusCode(), theirs.statusCode());
        assertEquals(field(missing.body(), "code"), field(theirs.body(), "code"));
        assertEquals(field(missing.body(), "detail"), field(theirs.body(), "detail"));
        assertEquals(404, get("/images/" + id + "/content", otherKey).statusCode());
        assertEquals(404, get("/images/by-name?filename=mine.png", otherKey).statusCode());
        assertEquals(404, get("/images/not-a-uuid", key).statusCode());
        assertEquals("[]", get("/images", otherKey).body().replaceAll(".*\"items\":(\\[[^]]*]).*", "$1"));
    }

    // ---- listing

    @Test
    void paginatesWithoutDuplicatesOrGapsWhileImagesAreAdded() {
        for (int i = 0; i < 25; i++) {
            upload(String.format("img-%02d.png", i), TestImages.png(i));
        }
        Set<String> seen = new HashSet<>();
        List<String> order = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            HttpResponse<String> r = get("/images?limit=7" + (cursor == null ? "" : "&cursor=" + cursor), key);
            assertEquals(200, r.statusCode(), r::body);
            List<String> names = all(r.body(), "filename");
            for (String n : names) {
                assertTrue(seen.add(n), "duplicate " + n);
                order.add(n);
            }
            if (pages == 1) {
                upload("img-00a.png", TestImages.png(100)); // before the cursor: not seen
                upload("img-99.png", TestImages.png(101));  // after the cursor: seen
            }
            cursor = field(r.body(), "nextCursor");
            if ("null".equals(cursor)) {
                cursor = null;
            }
            pages++;
        } while (cursor != null);
        assertEquals(26, seen.size(), order::toString);
        assertTrue(seen.contains("img-99.png"));
        List<String> sorted = new ArrayList<>(order);
        sorted.sort(String::compareTo);
        assertEquals(sorted, order, "stable name order");
    }

    @Test
    void filtersByPrefixCaseInsensitively() {
        upload("Cat-1.png", TestImages.png(1));
        upload("cat-2.png", TestImages.png(2));
        upload("dog.png", TestImages.png(3));
        HttpResponse<String> r = get("/images?prefix=CAT", key);
        assertEquals(List.of("Cat-1.png", "cat-2.png"), all(r.body(), "filename"));
    }

    @Test
    void refusesBadLimitsAndForeignCursors() {
        for (String q : List.of("limit=0", "limit=1001", "limit=abc", "limit=-5", "cursor=!!!", "cursor=bm90LWEtY3Vyc29y",
                "cursor=" + URLEncoder.encode("c1\nnot-a-uuid\nx", StandardCharsets.UTF_8), "limit=1&limit=2",
                "prefix=a&prefix=b", "prefix=%00", "prefix=a%00b",
                // a well-formed cursor whose key holds a NUL: PostgreSQL text cannot, and it answered 503 (retry!)
                "cursor=" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                        ("c1\n" + java.util.UUID.randomUUID() + "\na\0b").getBytes(StandardCharsets.UTF_8)))) {
            HttpResponse<String> r = get("/images?" + q, key);
            assertEquals(400, r.statusCode(), () -> q + " → " + r.body());
            assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
        }
        assertEquals(200, get("/images?limit=1000", key).statusCode());
    }

    // ---- content

    @Test
    void servesTheBytesWithEveryHeader() {
        byte[] png = TestImages.png(5);
        String id = upload("photo \"one\" ünïcode.png", png);
        HttpResponse<byte[]> r = bytes("/images/" + id + "/content");
        assertEquals(200, r.statusCode());
        assertArrayEquals(png, r.body());
        var h = r.headers();
        assertEquals("image/png", h.firstValue("Content-Type").orElse(""));
        assertEquals(Integer.toString(png.length), h.firstValue("Content-Length").orElse(""));
        assertTrue(h.firstValue("ETag").orElse("").matches("\"[0-9a-f]{64}-1\""), h.map()::toString);
        assertTrue(h.firstValue("Last-Modified").orElse("").matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT"), h.map()::toString);
        assertEquals("private", h.firstValue("Cache-Control").orElse(""));
        assertEquals("nosniff", h.firstValue("X-Content-Type-Options").orElse(""));
        assertEquals("default-src 'none'; sandbox", h.firstValue("Content-Security-Policy").orElse(""));
        assertEquals("inline; filename=\"photo _one_ _n_code.png\"; filename*=UTF-8''photo%20%22one%22%20%C3%BCn%C3%AFcode.png",
                h.firstValue("Content-Disposition").orElse(""));
        assertEquals("bytes", h.firstValue("Accept-Ranges").orElse(""));
        String download = bytes("/images/" + id + "/content?download=1").headers().firstValue("Content-Disposition").orElse("");
        assertTrue(download.startsWith("attachment; "), download);
    }

    @Test
    void answersNotModifiedToAMatchingValidator() {
        String id = upload("etag.png", TestImages.png(6));
        HttpResponse<byte[]> first = bytes("/images/" + id + "/content");
        String etag = first.headers().firstValue("ETag").orElseThrow();
        HttpResponse<byte[]> again = bytes("/images/" + id + "/content", "If-None-Match", etag);
        assertEquals(304, again.statusCode());
        assertEquals(0, again.body().length);
        assertEquals(etag, again.headers().firstValue("ETag").orElse(""));
        assertEquals(200, bytes("/images/" + id + "/content", "If-None-Match", "\"other\"").statusCode());
        String lastModified = first.headers().firstValue("Last-Modified").orElseThrow();
        assertEquals(304, bytes("/images/" + id + "/content", "If-Modified-Since", lastModified).statusCode());
        assertEquals(200, bytes("/images/" + id + "/content", "If-Modified-Since", "Thu, 01 Jan 1970 00:00:00 GMT").statusCode());
        assertEquals(200, bytes("/images/" + id + "/content", "If-Modified-Since", "Tue, 01 Dec 2099 00:00:00 GMT").statusCode(),
                "a date after now is invalid, not a reason to answer 304");
    }

    @Test
    void refusesAReadWhosePreconditionNoLongerHolds() {
        String id = upload("pre.png", TestImages.png(7));
        String content = "/images/" + id + "/content";
        HttpResponse<byte[]> first = bytes(content);
        String etag = first.headers().firstValue("ETag").orElseThrow();
        String lastModified = first.headers().firstValue("Last-Modified").orElseThrow();

        assertEquals(200, bytes(content, "If-Match", "\"old\", " + etag).statusCode());
        assertEquals(200, bytes(content, "If-Match", "*").statusCode());
        assertEquals(200, bytes(content, "If-Unmodified-Since", lastModified).statusCode());
        assertEquals(206, bytes(content, "If-Match", etag, "Range", "bytes=0-3").statusCode());

        HttpResponse<String> stale = get(content, key, "If-Match", "\"old\"");
        assertEquals(412, stale.statusCode(), stale::body);
        assertEquals("application/problem+json", stale.headers().firstValue("Content-Type").orElse(""));
        assertEquals("precondition_failed", field(stale.body(), "code"));
        assertEquals(etag, stale.headers().firstValue("ETag").orElse(""), "the validator it has now");
        assertEquals(412, get(content, key, "If-Match", "W/" + etag).statusCode(), "If-Match compares strongly");
        assertEquals(412, get(content, key, "If-Unmodified-Since", "Sun, 06 Nov 1994 08:49:37 GMT").statusCode());
        assertEquals(412, get(content + "?redirect=1", key, "If-Match", "\"old\"").statusCode(), "checked before a redirect");
        assertEquals(200, get(content, key, "If-Match", etag, "If-Unmodified-Since", "Sun, 06 Nov 1994 08:49:37 GMT")
                .statusCode(), "If-Unmodified-Since is ignored beside If-Match");
        HttpResponse<String> head = server.send(HttpRequest.newBuilder(server.uri(content))
                .header("Authorization", "Bearer " + key).header("If-Match", "\"old\"")
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertEquals(412, head.statusCode());

        String metadataEtag = bytes("/images/" + id).headers().firstValue("ETag").orElseThrow();
        assertEquals(200, get("/images/" + id, key, "If-Match", metadataEtag).statusCode());
        HttpResponse<String> staleMetadata = get("/images/by-name?filename=PRE.png", key, "If-Match", "\"old\"");
        assertEquals(412, staleMetadata.statusCode(), staleMetadata::body);
        assertEquals("precondition_failed", field(staleMetadata.body(), "code"));
        assertEquals(404, get(content, otherKey, "If-Match", "\"old\"").statusCode(), "another user's image stays a 404");
    }

    @Test
    void servesTheContentToWhateverAnImageLoaderAccepts() {
        byte[] png = TestImages.png(17);
        String id = upload("accept.png", png);
        for (String accept : new String[] {"image/*", "image/png", "image/avif,image/webp,*/*;q=0.8", "*/*"}) {
            HttpResponse<byte[]> r = bytes("/images/" + id + "/content", "Accept", accept);
            assertEquals(200, r.statusCode(), accept);
            assertEquals("image/png", r.headers().firstValue("Content-Type").orElse(""), accept);
            assertArrayEquals(png, r.body(), accept);
        }
    }

    @Test
    void answersNotModifiedWhenTheMetadataIsRevalidated() {
        String id = upload("meta-etag.png", TestImages.png(16));
        HttpResponse<byte[]> first = bytes("/images/" + id);
        String etag = first.headers().firstValue("ETag").orElseThrow();
        HttpResponse<byte[]> again = bytes("/images/" + id, "If-None-Match", etag);
        assertEquals(304, again.statusCode());
        assertEquals(0, again.body().length);
        assertEquals(etag, again.headers().firstValue("ETag").orElse(""));
        assertEquals(304, bytes("/images/by-name?filename=META-ETAG.png", "If-None-Match", etag).statusCode());
        assertEquals(200, bytes("/images/" + id, "If-None-Match", "\"other\"").statusCode());
    }

    @Test
    void everyMetadataAnswerNamesTheImagesWithTheSameBytes() {
        byte[] png = TestImages.png(21);
        String original = upload("original.png", png);
        String copy = upload("copy.png", png);
        String other = upload("other.png", TestImages.png(22));
        String otherUsersCopy = server.sideContext().getBean(UploadImage.class).upload(new UploadCommand(
                server.sideContext().getBean(AuthenticateCaller.class).authenticate(null, otherKey), "original.png",
                new ByteArrayInputStream(png), png.length, ConflictPolicy.REJECT)).image().id().toString();

        assertEquals("[\"" + copy + "\"]", sameContentAs(get("/images/" + original, key).body()));
        assertEquals("[\"" + original + "\"]", sameContentAs(get("/images/by-name?filename=COPY.png", key).body()));
        assertEquals("[]", sameContentAs(get("/images/" + other, key).body()));
        String page = get("/images?limit=2", key).body();
        assertEquals(Map.of(copy, "[\"" + original + "\"]", original, "[\"" + copy + "\"]"), copiesByItem(page), page);
        String rest = get("/images?cursor=" + field(page, "nextCursor"), key).body();
        assertEquals(Map.of(other, "[]"), copiesByItem(rest), rest);
        assertTrue(!page.contains(otherUsersCopy) && !rest.contains(otherUsersCopy), "another user's copy is never named");
    }

    @Test
    void theMetadataValidatorChangesWhenACopyAppears() {
        byte[] png = TestImages.png(23);
        String id = upload("validator.png", png);
        String before = bytes("/images/" + id).headers().firstValue("ETag").orElseThrow();
        String copy = upload("validator copy.png", png);
        HttpResponse<String> after = get("/images/" + id, key, "If-None-Match", before);
        assertEquals(200, after.statusCode(), "a 304 would keep the client's stale sameContentAs");
        assertEquals("[\"" + copy + "\"]", sameContentAs(after.body()));
        String etag = after.headers().firstValue("ETag").orElseThrow();
        assertTrue(etag.matches("\"[0-9a-f]{64}-1-[0-9a-f]+\""), etag);
        assertEquals(304, get("/images/" + id, key, "If-None-Match", etag).statusCode());
        // the bytes did not change: the content keeps its validator
        assertEquals(before, bytes("/images/" + id + "/content").headers().firstValue("ETag").orElseThrow());
    }

    /** Each listed item's id → its sameContentAs array. */
    static Map<String, String> copiesByItem(String json) {
        Matcher m = Pattern.compile("\"id\":\"([^\"]+)\"[^\\[]*\"sameContentAs\":(\\[[^\\]]*\\])").matcher(json);
        Map<String, String> out = new java.util.HashMap<>();
        while (m.find()) {
            out.put(m.group(1), m.group(2));
        }
        return out;
    }

    static String sameContentAs(String json) {
        Matcher m = Pattern.compile("\"sameContentAs\":(\\[[^\\]]*\\])").matcher(json);
        return m.find() ? m.group(1) : null;
    }

    @Test
    void servesRanges() {
        byte[] png = TestImages.pngOfSize(1000, 7);
        String id = upload("range.png", png);
        String path = "/images/" + id + "/content";
        HttpResponse<byte[]> firstBytes = bytes(path, "Range", "bytes=0-9");
        assertEquals(206, firstBytes.statusCode());
        assertArrayEquals(Arrays.copyOfRange(png, 0, 10), firstBytes.body());
        assertEquals("bytes 0-9/1000", firstBytes.headers().firstValue("Content-Range").orElse(""));
        assertEquals("10", firstBytes.headers().firstValue("Content-Length").orElse(""));
        HttpResponse<byte[]> suffix = bytes(path, "Range", "bytes=-100");
        assertArrayEquals(Arrays.copyOfRange(png, 900, 1000), suffix.body());
        assertEquals("bytes 900-999/1000", suffix.headers().firstValue("Content-Range").orElse(""));
        HttpResponse<byte[]> open = bytes(path, "Range", "bytes=990-");
        assertArrayEquals(Arrays.copyOfRange(png, 990, 1000), open.body());
        HttpResponse<byte[]> clipped = bytes(path, "Range", "bytes=995-5000");
        assertEquals("bytes 995-999/1000", clipped.headers().firstValue("Content-Range").orElse(""));
        HttpResponse<byte[]> beyond = bytes(path, "Range", "bytes=1000-");
        assertEquals(416, beyond.statusCode());
        assertEquals("bytes */1000", beyond.headers().firstValue("Content-Range").orElse(""));
        for (String malformed : List.of("bytes=abc", "items=0-5", "bytes=5-1", "bytes=0-1,5-6")) {
            HttpResponse<byte[]> full = bytes(path, "Range", malformed);
            assertEquals(200, full.statusCode(), malformed);
            assertArrayEquals(png, full.body());
        }
        assertEquals(200, bytes(path, "Range", "bytes=0-9", "If-Range", "\"stale\"").statusCode());
    }

    /**
     * HEAD does not read the bytes (it looks the object up instead), yet agrees with GET on every status: a range beyond
     * the end is a 416 for both, and bytes missing from storage a 503 for both.
     */
    @Test
    void headAndGetAgreeWhenTheRangeOrTheBytesAreNotThere() throws Exception {
        String id = upload("gone-bytes.png", TestImages.png(9));
        String path = "/images/" + id + "/content";
        java.util.function.Function<String[], Integer> head = h -> {
            HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path)).header("Authorization", "Bearer " + key)
                    .method("HEAD", HttpRequest.BodyPublishers.noBody());
            if (h.length > 0) {
                b.headers(h);
            }
            return server.send(b).statusCode();
        };
        assertEquals(416, head.apply(new String[]{"Range", "bytes=100000-"}));
        assertEquals(416, get(path, key, "Range", "bytes=100000-").statusCode());
        String objectName = TestDatabase.string("select object_name from images where id = '" + id + "'");
        java.nio.file.Files.delete(server.storageDirectory().resolve(objectName));
        assertEquals(503, head.apply(new String[0]));
        assertEquals(503, get(path, key).statusCode());
    }

    @Test
    void headAnswersHeadersWithoutBody() {
        byte[] png = TestImages.png(8);
        String id = upload("head.png", png);
        HttpResponse<byte[]> r = server.sendForBytes(HttpRequest.newBuilder(server.uri("/images/" + id + "/content"))
                .header("Authorization", "Bearer " + key).method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, r.statusCode(), () -> new String(r.body()) + r.headers().map());
        assertEquals(0, r.body().length);
        assertEquals(Integer.toString(png.length), r.headers().firstValue("Content-Length").orElse(""));
        assertTrue(r.headers().firstValue("ETag").isPresent());
    }

    /**
     * An answer about one caller's images is never left to a shared cache's heuristics: {@code X-API-Key} does not
     * keep a shared cache from storing it, as {@code Authorization} does. HEAD names the type GET would send.
     */
    @Test
    void everyAnswerSaysHowItMayBeCachedAndHeadNamesItsType() {
        String id = upload("cached.png", TestImages.png(10));
        HttpResponse<String> listing = server.send(HttpRequest.newBuilder(server.uri("/images"))
                .header("X-API-Key", key).GET());
        assertEquals(200, listing.statusCode(), listing::body);
        assertEquals("no-store", listing.headers().firstValue("Cache-Control").orElse(""));
        HttpResponse<String> missing = get("/images/7a0f0000-0000-4000-8000-000000000000", key);
        assertEquals(404, missing.statusCode());
        assertEquals("no-store", missing.headers().firstValue("Cache-Control").orElse(""));
        assertEquals("private, no-cache", get("/images/" + id, key).headers().firstValue("Cache-Control").orElse(""));
        assertEquals("private", get("/images/" + id + "/content", key).headers().firstValue("Cache-Control").orElse(""));
        assertEquals("no-store", server.send(HttpRequest.newBuilder(server.uri("/health")).GET()).headers()
                .firstValue("Cache-Control").orElse(""), "a health answer is never reused");

        for (String path : List.of("/images", "/images/" + id, "/images/by-name?filename=cached.png")) {
            HttpResponse<String> head = server.send(HttpRequest.newBuilder(server.uri(path))
                    .header("Authorization", "Bearer " + key).method("HEAD", HttpRequest.BodyPublishers.noBody()));
            assertEquals(200, head.statusCode(), path);
            assertEquals("", head.body(), path);
            assertTrue(head.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                    () -> path + " " + head.headers().map());
        }
        HttpResponse<String> headMissing = server.send(HttpRequest.newBuilder(
                        server.uri("/images/7a0f0000-0000-4000-8000-000000000000"))
                .header("Authorization", "Bearer " + key).method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertEquals(404, headMissing.statusCode());
        assertEquals("application/problem+json", headMissing.headers().firstValue("Content-Type").orElse(""));
        HttpResponse<String> headUnauthorized = server.send(HttpRequest.newBuilder(server.uri("/images"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertEquals(401, headUnauthorized.statusCode());
        assertTrue(headUnauthorized.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
    }

    @Test
    void redirectFallsBackToTheBytesWhereStorageCannotSign() {
        byte[] png = TestImages.png(9);
        String id = upload("redirect.png", png);
        HttpResponse<byte[]> r = bytes("/images/" + id + "/content?redirect=1");
        assertEquals(200, r.statusCode());
        assertArrayEquals(png, r.body());
    }

    @Test
    void servesTheLargestAllowedImageStreamed() {
        byte[] big = TestImages.pngOfSize(33 * 1024 * 1024, 10);
        String id = upload("big.png", big);
        HttpResponse<byte[]> r = bytes("/images/" + id + "/content");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Length").isEmpty(), "over 32 MiB the response is chunked");
        assertArrayEquals(big, r.body());
    }
}
