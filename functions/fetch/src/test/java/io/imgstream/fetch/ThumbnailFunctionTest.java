package io.imgstream.fetch;

import io.imgstream.application.AuthenticateCaller;
import io.imgstream.application.delete.DeleteImage;
import io.imgstream.application.upload.UploadCommand;
import io.imgstream.application.upload.UploadImage;
import io.imgstream.domain.Caller;
import io.imgstream.domain.ConflictPolicy;
import io.imgstream.domain.Precondition;
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

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static io.imgstream.fetch.FetchFunctionTest.field;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Thumbnails over real HTTP through the Functions Framework invoker, cached in the filesystem store. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ThumbnailFunctionTest {

    private FunctionServer server;
    private String key;
    private String otherKey;
    private Caller caller;

    @BeforeAll
    void start() {
        server = FunctionServer.http(Map.of("imgstream.thumbnails.sizes", "160,320,640"));
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
    }

    @BeforeEach
    void clean() throws IOException {
        TestDatabase.truncateAll();
        key = server.keyFor("alice");
        otherKey = server.keyFor("bob");
        caller = server.sideContext().getBean(AuthenticateCaller.class).authenticate(null, key);
        server.clearStorage();
    }

    static String thumbnailUrl(String json) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"thumbnailUrl\":\"([^\"]*)\"").matcher(json);
        assertTrue(m.find(), json);
        return m.group(1);
    }

    /** The RFC 6570 template of image JSON, expanded with {@code size} only. */
    static String expand(String template, int size) {
        assertTrue(template.endsWith("{&size,fit,format}"), template);
        return template.replace("{&size,fit,format}", "&size=" + size);
    }

    String upload(String name, byte[] bytes, ConflictPolicy policy) {
        return server.sideContext().getBean(UploadImage.class).upload(new UploadCommand(caller, name,
                new ByteArrayInputStream(bytes), bytes.length, policy)).image().id().toString();
    }

    String upload(String name, byte[] bytes) {
        return upload(name, bytes, ConflictPolicy.REJECT);
    }

    HttpResponse<byte[]> request(String method, String path, String apiKey, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path)).header("Authorization", "Bearer " + apiKey)
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            b.headers(headers);
        }
        return server.sendForBytes(b);
    }

    HttpResponse<byte[]> get(String path, String... headers) {
        return request("GET", path, key, headers);
    }

    static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
    }

    static BufferedImage decode(HttpResponse<byte[]> response) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(response.body()));
            assertTrue(image != null, "the answer decodes as an image");
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Thumbnail objects in the store (the filesystem adapter keeps object names as paths). */
    List<String> storedThumbnails() {
        Path root = server.storageDirectory();
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .filter(n -> n.contains("/thumbnails/")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long thumbnailRows() {
        return TestDatabase.count("select count(*) from thumbnails");
    }

    static BufferedImage noise(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(7);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        return image;
    }

    // ---- serving

    @Test
    void rendersOnceThenServesTheKeptThumbnailWithItsOwnStrongEtag() {
        String id = upload("photo.jpg", TestImages.write(TestImages.quadrants(800, 600, false), "jpg"));

        HttpResponse<byte[]> first = get("/images/" + id + "/thumbnail?size=160");
        assertEquals(200, first.statusCode(), () -> text(first));
        assertEquals("image/jpeg", first.headers().firstValue("Content-Type").orElseThrow());
        BufferedImage out = decode(first);
        assertEquals(160, out.getWidth());
        assertEquals(120, out.getHeight());
        String etag = first.headers().firstValue("ETag").orElseThrow();
        assertTrue(etag.startsWith("\"") && etag.endsWith("\""), "strong ETag: " + etag);
        assertEquals("private, no-cache", first.headers().firstValue("Cache-Control").orElseThrow());
        assertEquals("nosniff", first.headers().firstValue("X-Content-Type-Options").orElseThrow());
        assertTrue(first.headers().firstValue("Content-Security-Policy").orElseThrow().contains("sandbox"));
        assertEquals(Integer.toString(first.body().length), first.headers().firstValue("Content-Length").orElseThrow());
        String contentEtag = get("/images/" + id + "/content").headers().firstValue("ETag").orElseThrow();
        assertNotEquals(contentEtag, etag, "a thumbnail's ETag is its own");

        List<String> kept = storedThumbnails();
        assertEquals(1, kept.size(), kept::toString);
        assertTrue(kept.get(0).matches("users/[0-9a-f-]{36}/thumbnails/" + id + "/v1/160-inside-r\\d+"), kept::toString);
        assertEquals(1L, thumbnailRows());

        HttpResponse<byte[]> again = get("/images/" + id + "/thumbnail?size=160");
        assertArrayEquals(first.body(), again.body());
        assertEquals(etag, again.headers().firstValue("ETag").orElseThrow());
        assertEquals(1, storedThumbnails().size());

        HttpResponse<byte[]> notModified = get("/images/" + id + "/thumbnail?size=160", "If-None-Match", etag);
        assertEquals(304, notModified.statusCode());
        assertEquals(0, notModified.body().length);
        assertEquals(etag, notModified.headers().firstValue("ETag").orElseThrow());

        HttpResponse<byte[]> head = request("HEAD", "/images/" + id + "/thumbnail?size=160", key);
        assertEquals(200, head.statusCode());
        assertEquals(0, head.body().length);
        assertEquals(etag, head.headers().firstValue("ETag").orElseThrow());
        assertEquals("image/jpeg", head.headers().firstValue("Content-Type").orElseThrow());
    }

    @Test
    void theDefaultsAreSize320InsideAndCoverGivesTheCentredSquare() {
        String id = upload("wide.png", TestImages.write(TestImages.quadrants(1000, 500, false), "png"));

        BufferedImage inside = decode(get("/images/" + id + "/thumbnail"));
        assertEquals(320, inside.getWidth());
        assertEquals(160, inside.getHeight());
        BufferedImage cover = decode(get("/images/" + id + "/thumbnail?size=160&fit=cover"));
        assertEquals(160, cover.getWidth());
        assertEquals(160, cover.getHeight());
        HttpResponse<byte[]> png = get("/images/" + id + "/thumbnail?size=160&format=png");
        assertEquals("image/png", png.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(3, storedThumbnails().size(), () -> storedThumbnails().toString());
    }

    @Test
    void imageJsonCarriesOrientationDisplaySizeAndAVersionedThumbnailUrlServedAsImmutable() {
        String id = upload("turned.jpg", TestImages.jpegOriented(400, 200, 6));

        String json = text(get("/images/" + id));
        assertEquals("6", field(json, "orientation"));
        assertEquals("400", field(json, "width"));
        assertEquals("200", field(json, "displayWidth"));
        assertEquals("400", field(json, "displayHeight"));
        String url = thumbnailUrl(json);
        assertEquals("/images/" + id + "/thumbnail?v=1{&size,fit,format}", url);
        String listed = text(get("/images"));
        assertEquals(url, thumbnailUrl(listed));
        assertEquals("200", field(listed, "displayWidth"));

        HttpResponse<byte[]> versioned = get(expand(url, 160));
        assertEquals(200, versioned.statusCode(), () -> text(versioned));
        assertEquals("private, max-age=31536000, immutable", versioned.headers().firstValue("Cache-Control").orElseThrow());
        BufferedImage upright = decode(versioned);
        assertEquals(80, upright.getWidth(), "orientation 6 turns the 400×200 source upright: 200×400");
        assertEquals(160, upright.getHeight());
    }

    @Test
    void anOverwriteGivesNewThumbnailsAndTheOldVersionsUrlIsGone() {
        String id = upload("same.png", TestImages.write(TestImages.quadrants(400, 400, false), "png"));
        HttpResponse<byte[]> v1 = get("/images/" + id + "/thumbnail?v=1&size=160");
        assertEquals(200, v1.statusCode());

        upload("same.png", TestImages.write(noise(400, 200), "png"), ConflictPolicy.OVERWRITE);

        HttpResponse<byte[]> stale = get("/images/" + id + "/thumbnail?v=1&size=160");
        assertEquals(404, stale.statusCode());
        assertEquals("not_found", field(text(stale), "code"));
        String url = thumbnailUrl(text(get("/images/" + id)));
        assertEquals("/images/" + id + "/thumbnail?v=2{&size,fit,format}", url);
        HttpResponse<byte[]> v2 = get(expand(url, 160));
        assertEquals(200, v2.statusCode());
        assertNotEquals(v1.headers().firstValue("ETag"), v2.headers().firstValue("ETag"));
        assertEquals(80, decode(v2).getHeight());
        HttpResponse<byte[]> unversioned = get("/images/" + id + "/thumbnail?size=160",
                "If-None-Match", v1.headers().firstValue("ETag").orElseThrow());
        assertEquals(200, unversioned.statusCode(), "the old ETag no longer matches");
    }

    @Test
    void concurrentFirstRequestsRenderOneThumbnail() throws Exception {
        String id = upload("busy.jpg", TestImages.write(noise(1600, 1200), "jpg"));
        int clients = 8;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Callable<HttpResponse<byte[]>>> calls = java.util.Collections.nCopies(clients,
                    () -> get("/images/" + id + "/thumbnail?size=640&fit=cover"));
            List<Future<HttpResponse<byte[]>>> answers = pool.invokeAll(calls);
            byte[] first = answers.get(0).get().body();
            for (Future<HttpResponse<byte[]>> answer : answers) {
                assertEquals(200, answer.get().statusCode());
                assertArrayEquals(first, answer.get().body());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, storedThumbnails().size(), () -> storedThumbnails().toString());
        assertEquals(1L, thumbnailRows());
    }

    // ---- sources the renderer must get right

    @Test
    void aBogusOrientationIsTreatedAsUpright() {
        String id = upload("bogus.jpg", TestImages.jpegOriented(400, 200, 9));

        assertEquals("1", field(text(get("/images/" + id)), "orientation"));
        BufferedImage out = decode(get("/images/" + id + "/thumbnail?size=160"));
        assertEquals(160, out.getWidth());
        assertEquals(80, out.getHeight());
    }

    @Test
    void aOnePixelImageIsNeverUpscaled() {
        String id = upload("dot.png", TestImages.write(TestImages.quadrants(1, 1, false), "png"));

        for (String fit : List.of("inside", "cover")) {
            BufferedImage out = decode(get("/images/" + id + "/thumbnail?size=640&fit=" + fit));
            assertEquals(1, out.getWidth());
            assertEquals(1, out.getHeight());
        }
    }

    @Test
    void aLongStripRendersSanelyInBothFits() {
        String id = upload("strip.png", TestImages.write(TestImages.quadrants(20000, 5, false), "png"));

        BufferedImage inside = decode(get("/images/" + id + "/thumbnail?size=320"));
        assertEquals(320, inside.getWidth());
        assertEquals(1, inside.getHeight(), "5 × 320/20000 rounds to at least one row");
        BufferedImage cover = decode(get("/images/" + id + "/thumbnail?size=320&fit=cover"));
        assertEquals(5, cover.getWidth(), "the square of the short edge, not upscaled");
        assertEquals(5, cover.getHeight());
    }

    @Test
    void aPalettePngKeepsItsTransparentColourAndComesBackAsPng() {
        String id = upload("palette.png", TestImages.write(TestImages.paletteWithTransparentHalf(), "png"));

        HttpResponse<byte[]> answer = get("/images/" + id + "/thumbnail?size=160");
        assertEquals("image/png", answer.headers().firstValue("Content-Type").orElseThrow());
        BufferedImage out = decode(answer);
        assertEquals(0, out.getRGB(50, 10) >>> 24, "the transparent entry stays transparent");
        assertEquals(0xFFFF0000, out.getRGB(10, 10), "the opaque entry stays red");
    }

    // ---- bad input: a clear problem, nothing stored

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "size=999|size",
            "size=0|size",
            "size=-1|size",
            "size=abc|size",
            "size=160&size=320|size",
            "fit=stretch|fit",
            "format=gif|format",
            "v=abc|v",
    })
    void aBadParameterIsA400NamingTheAllowedValuesAndStoresNothing(String query, String parameter) {
        String id = upload("ok.png", TestImages.write(TestImages.quadrants(400, 300, false), "png"));

        HttpResponse<byte[]> answer = get("/images/" + id + "/thumbnail?" + query);
        assertEquals(400, answer.statusCode(), () -> text(answer));
        assertEquals("application/problem+json", answer.headers().firstValue("Content-Type").orElseThrow());
        String body = text(answer);
        assertEquals("invalid_parameter", field(body, "code"));
        assertTrue(body.contains(parameter), body);
        if (query.startsWith("size=") && !query.contains("&")) {
            assertTrue(body.contains("160, 320, 640") || body.contains("160,320,640"), "the detail lists the sizes: " + body);
        }
        if (query.startsWith("fit=")) {
            assertTrue(body.contains("inside") && body.contains("cover"), body);
        }
        if (query.startsWith("format=")) {
            assertTrue(body.contains("jpeg") && body.contains("png"), body);
        }
        assertEquals(List.of(), storedThumbnails());
        assertEquals(0L, thumbnailRows());
    }

    @Test
    void anotherUsersImageAnswersLikeAMissingOneAndStoresNothing() {
        String id = upload("mine.png", TestImages.write(TestImages.quadrants(400, 300, false), "png"));

        HttpResponse<byte[]> theirs = request("GET", "/images/" + id + "/thumbnail", otherKey);
        HttpResponse<byte[]> missing = request("GET", "/images/7a0f0000-0000-4000-8000-000000000000/thumbnail", otherKey);
        assertEquals(404, theirs.statusCode());
        assertEquals(field(text(missing), "code"), field(text(theirs), "code"));
        assertEquals(field(text(missing), "detail"), field(text(theirs), "detail"));
        assertEquals(404, get("/images/not-an-id/thumbnail").statusCode(), "as for every other image path");
        assertEquals(List.of(), storedThumbnails());
    }

    @Test
    void aDeletedImageHasNoThumbnail() {
        String id = upload("gone.png", TestImages.write(TestImages.quadrants(400, 300, false), "png"));
        server.sideContext().getBean(DeleteImage.class).delete(caller, id, Precondition.NONE);

        HttpResponse<byte[]> answer = get("/images/" + id + "/thumbnail");
        assertEquals(404, answer.statusCode());
        assertEquals("not_found", field(text(answer), "code"));
        assertEquals(List.of(), storedThumbnails());
    }

    @Test
    void aPngCutShortIsA422AndStoresNothing() {
        byte[] png = TestImages.write(noise(600, 400), "png");
        String id = upload("cut.png", Arrays.copyOf(png, png.length / 2));

        HttpResponse<byte[]> answer = get("/images/" + id + "/thumbnail?size=160");
        assertEquals(422, answer.statusCode(), () -> text(answer));
        assertEquals("application/problem+json", answer.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("image_unreadable", field(text(answer), "code"));
        assertEquals(List.of(), storedThumbnails());
        assertEquals(0L, thumbnailRows());
        assertEquals(200, get("/images/" + id + "/content").statusCode(), "the stored bytes are still served as stored");
    }

    @Test
    void thumbnailsNeedTheKey() {
        String id = upload("keyed.png", TestImages.write(TestImages.quadrants(400, 300, false), "png"));

        HttpResponse<byte[]> answer = server.sendForBytes(HttpRequest.newBuilder(server.uri("/images/" + id + "/thumbnail")).GET());
        assertEquals(401, answer.statusCode());
        assertFalse(storedThumbnails().iterator().hasNext());
    }
}
