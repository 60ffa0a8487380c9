package io.imgstream.upload;

import io.imgstream.dev.EmbeddedPostgresServer;
import io.imgstream.dev.SchemaMigrator;
import io.imgstream.support.FunctionServer;
import io.imgstream.support.FrozenServer;
import io.imgstream.dev.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A multipart upload whose database hangs (SIGSTOP of every process of a real PostgreSQL) after the request began: the
 * first file meets the hang and answers 503 within the bound; the later files are answered 503 at once, not after a
 * bound each, so the request as a whole stays within one bound; nothing is stored.
 */
class UploadDuringDatabaseHangTest {

    private static Path directory;
    private static EmbeddedPostgresServer postgres;
    private static FunctionServer server;
    private static String key;
    private final List<FrozenServer> frozen = new ArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        directory = Files.createTempDirectory("imgstream-upload-hang");
        postgres = EmbeddedPostgresServer.start(directory.resolve("data"), 0, true);
        postgres.createDatabase("imgstream");
        SchemaMigrator.migrate(postgres.jdbcUrl("imgstream"));
        server = FunctionServer.http(Map.of("imgstream.database.url", postgres.jdbcUrl("imgstream")));
        key = server.keyFor("hang");
        // warm: the function's first request builds its pool and opens a connection, which must not meet the hang
        assertEquals(404, server.send(HttpRequest.newBuilder(server.uri("/images/" + java.util.UUID.randomUUID()))
                .header("Authorization", "Bearer " + key).DELETE()).statusCode());
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void laterPartsAreAnsweredAtOnceAfterTheFirstFindsTheDatabaseHung() throws Exception {
        String boundary = "HANG";
        // a large first file: its bytes stream to storage for a while after its intent is recorded, and the server hangs
        // then, so that the first file's commit is the call that meets it, wherever the request's body is buffered
        byte[] body = UploadFunctionTest.multipart(boundary, "one.png", TestImages.pngOfSize(20 * 1024 * 1024, 1),
                "two.png", TestImages.png(2), "three.png", TestImages.png(3));
        long[] hungAt = new long[1];
        Thread watcher = new Thread(() -> {
            awaitFirstIntent();
            hang();
            hungAt[0] = System.nanoTime();
        });
        watcher.start();
        HttpResponse<String> r;
        try {
            r = server.send(HttpRequest.newBuilder(server.uri("/images"))
                    .header("Authorization", "Bearer " + key)
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
            watcher.join(30_000);
        } finally {
            resume();
        }
        long ms = (System.nanoTime() - hungAt[0]) / 1_000_000;
        assertTrue(hungAt[0] > 0, "the server was hung during the request");
        assertEquals(200, r.statusCode(), r::body);
        assertTrue(ms <= 6000, "the answer came " + ms + " ms after the hang began: one bound (5 s), not one per file");
        assertEquals(3, r.body().split("\\{\"status\":503,\"problem\"", -1).length - 1, r::body);
        assertEquals(2, r.body().split("Not attempted", -1).length - 1, r::body);

        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl("imgstream")); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("select count(*) from images")) {
                rs.next();
                assertEquals(0, rs.getInt(1), "no image stored");
            }
            try (ResultSet rs = st.executeQuery("select count(*) from pending_uploads")) {
                rs.next();
                assertEquals(1, rs.getInt(1), "the first file's intent stays for cleanup; the later files recorded none");
            }
        }
        try (Stream<Path> files = Files.walk(server.storageDirectory())) {
            assertTrue(files.filter(Files::isRegularFile).count() <= 1, "at most the first file's object, named by its intent");
        }
    }

    /** Until the first file's intent is recorded (its bytes then stream to storage). */
    private static void awaitFirstIntent() {
        long deadline = System.nanoTime() + 30_000_000_000L;
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl("imgstream"));
             Statement st = c.createStatement()) {
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = st.executeQuery("select count(*) from pending_uploads")) {
                    rs.next();
                    if (rs.getInt(1) > 0) {
                        return;
                    }
                }
                pause(2);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        throw new IllegalStateException("the first file's intent never appeared");
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The whole server frozen (SIGSTOP of every process), until {@link #resume()}. */
    private synchronized void hang() {
        frozen.add(FrozenServer.freeze(postgres));
    }

    private synchronized void resume() {
        frozen.forEach(FrozenServer::close);
        frozen.clear();
    }

}
