package io.imgstream.upload;

import io.imgstream.support.FunctionServer;
import io.imgstream.dev.TestDatabase;
import io.imgstream.dev.TestImages;
import io.tus.java.client.TusClient;
import io.tus.java.client.TusURLMemoryStore;
import io.tus.java.client.TusUpload;
import io.tus.java.client.TusUploader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** tus-java-client 0.5.1 (Maven Central) against the upload function through the invoker, interrupted and resumed. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TusJavaClientTest {

    private FunctionServer server;
    private byte[] bytes;

    @BeforeAll
    void start() {
        server = FunctionServer.http(Map.of("imgstream.max-upload-bytes", "300000"));
        BufferedImage noise = new BufferedImage(500, 400, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(5);
        for (int y = 0; y < 400; y++) {
            for (int x = 0; x < 500; x++) {
                noise.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        bytes = TestImages.write(noise, "png");
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
    }

    @BeforeEach
    void clean() {
        TestDatabase.truncateAll();
    }

    TusUpload upload(String filename) {
        TusUpload upload = new TusUpload();
        upload.setInputStream(new ByteArrayInputStream(bytes));
        upload.setSize(bytes.length);
        upload.setFingerprint("fixture-" + filename);
        upload.setMetadata(Map.of("filename", filename));
        return upload;
    }

    @Test
    void anUploadStoppedMidwayIsResumedByTheClientFromTheServersOffset() throws Exception {
        String key = server.keyFor("alice");
        TusClient client = new TusClient();
        client.setUploadCreationURL(server.uri("/uploads").toURL());
        client.setHeaders(Map.of("Authorization", "Bearer " + key));
        client.enableResuming(new TusURLMemoryStore());

        TusUploader first = client.resumeOrCreateUpload(upload("java client.png"));
        first.setChunkSize(32 * 1024);
        first.setRequestPayloadSize(64 * 1024);
        first.uploadChunk();
        first.uploadChunk();
        first.uploadChunk();
        first.finish(); // the connection goes; the upload stays unfinished
        long stoppedAt = first.getOffset();
        assertEquals(0, TestDatabase.count("select count(*) from images"));

        TusUploader resumed = client.resumeOrCreateUpload(upload("java client.png"));
        assertEquals(stoppedAt, resumed.getOffset(), "resumed from the server's offset (HEAD)");
        resumed.setRequestPayloadSize(128 * 1024);
        while (resumed.uploadChunk() > -1) {
            // until the whole file is sent
        }
        resumed.finish();

        assertEquals(1, TestDatabase.count("select count(*) from images"));
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)),
                TestDatabase.string("select encode(sha256, 'hex') from images where filename = 'java client.png'"));
        assertEquals(1, TestDatabase.count("select count(*) from resumable_uploads where state = 'COMPLETE'"));
    }
}
