package io.imgstream.upload;

import io.imgstream.support.FunctionServer;
import io.imgstream.dev.Command;
import io.imgstream.dev.Command.Result;
import io.imgstream.dev.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.imgstream.dev.Command.onPath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real tus-js-client (npm, pinned in src/test/js/package.json) under Node against the upload function through the
 * invoker: a whole upload in chunks, and one interrupted after its first chunk and resumed by a new client from the
 * upload URL. Skipped, with the reason, where Node or npm is absent or the package cannot be installed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TusJsClientTest {

    private FunctionServer server;
    private String key;
    private Path client;
    private Path file;
    private byte[] bytes;

    @BeforeAll
    void start() throws Exception {
        assumeTrue(onPath("node") && onPath("npm"), "Node and npm are not installed: tus-js-client cannot run");
        client = Path.of("target", "tus-js-client").toAbsolutePath();
        Files.createDirectories(client);
        for (String name : List.of("package.json", "tus-upload.mjs")) {
            Files.copy(Path.of("src", "test", "js", name), client.resolve(name),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isDirectory(client.resolve("node_modules/tus-js-client"))) {
            Result install = run(List.of("npm", "install", "--no-audit", "--no-fund", "--loglevel=error"), 240);
            assumeTrue(install.code() == 0, "npm install tus-js-client failed (offline?): " + install.output());
        }
        server = FunctionServer.http(Map.of("imgstream.max-upload-bytes", "300000"));
        // A real PNG of about 1 MB: noise does not compress.
        java.awt.image.BufferedImage noise = new java.awt.image.BufferedImage(600, 500,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        Random random = new Random(11);
        for (int y = 0; y < 500; y++) {
            for (int x = 0; x < 600; x++) {
                noise.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        bytes = io.imgstream.dev.TestImages.write(noise, "png");
        file = client.resolve("upload.png");
        Files.write(file, bytes);
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void clean() {
        TestDatabase.truncateAll();
        key = server.keyFor("alice");
    }

    Result run(List<String> command, int seconds) throws Exception {
        return Command.run(client, command, seconds);
    }

    String upload(String filename, String... extra) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("node", "tus-upload.mjs", server.uri("/uploads").toString(),
                key, file.toString(), filename, "262144"));
        command.addAll(List.of(extra));
        Result r = run(command, 120);
        assertEquals(0, r.code(), r.output());
        return r.output().lines().reduce((a, b) -> b).orElseThrow();
    }

    static String field(String json, String name) {
        var m = java.util.regex.Pattern.compile("\"" + name + "\":\"?([^\",}]*)\"?").matcher(json);
        return m.find() ? m.group(1) : null;
    }

    String storedSha256(String imageId) {
        return TestDatabase.string("select encode(sha256, 'hex') from images where id = '" + imageId + "'");
    }

    @Test
    void tusJsClientUploadsInChunksAndGetsTheImageId() throws Exception {
        String json = upload("from tus-js-client.png");
        String imageId = field(json, "imageId");
        assertNotNull(imageId, json);
        assertTrue(Integer.parseInt(field(json, "chunks")) >= 4, json);
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)), storedSha256(imageId));
        assertEquals("from tus-js-client.png", TestDatabase.string("select filename from images where id = '" + imageId + "'"));
    }

    @Test
    void anInterruptedUploadResumesFromTheServersOffset() throws Exception {
        String json = upload("resumed.png", "interrupt");
        String imageId = field(json, "imageId");
        assertNotNull(imageId, json);
        assertEquals(field(json, "resumedFrom"), field(json, "url"), "the second client continued the same upload");
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)), storedSha256(imageId));
        assertEquals(1, TestDatabase.count("select count(*) from images"));
        assertEquals(1, TestDatabase.count("select count(*) from resumable_uploads where state = 'COMPLETE'"));
    }
}
