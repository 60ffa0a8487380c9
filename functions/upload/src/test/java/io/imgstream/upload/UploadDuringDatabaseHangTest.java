package io.imgstream.upload;

import io.imgstream.adapter.embedded.EmbeddedPostgresServer;
import io.imgstream.adapter.embedded.SchemaMigrator;
import io.imgstream.support.FunctionServer;
import io.imgstream.support.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
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
    private final List<String> stopped = new ArrayList<>();

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
        byte[] body = UploadFunctionTest.multipart(boundary, "one.png", TestImages.png(1), "two.png", TestImages.png(2),
                "three.png", TestImages.png(3));
        // the first part's bytes, without the boundary that ends it: the server cannot finish reading that file yet
        int firstPartEnd = indexOf(body, ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII), 10);
        InputStream stream = new InputStream() {
            private final ByteArrayInputStream first = new ByteArrayInputStream(body, 0, firstPartEnd);
            private final ByteArrayInputStream rest = new ByteArrayInputStream(body, firstPartEnd, body.length - firstPartEnd);
            private boolean hung;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (first.available() > 0) {
                    return first.read(b, off, len);
                }
                if (!hung) {
                    hung = true;
                    pause(500); // the key check of this request is done; the files are not
                    hang();
                }
                return rest.read(b, off, len);
            }
        };
        long t0 = System.nanoTime();
        HttpResponse<String> r;
        try {
            r = server.send(HttpRequest.newBuilder(server.uri("/images"))
                    .header("Authorization", "Bearer " + key)
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> stream)));
        } finally {
            resume();
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(200, r.statusCode(), r::body);
        assertTrue(ms <= 6500, "the request took " + ms + " ms: one bound (5 s) plus the 0.5 s pause, not one per file");
        assertEquals(3, r.body().split("\\{\"status\":503,\"problem\"", -1).length - 1, r::body);
        assertEquals(2, r.body().split("Not attempted", -1).length - 1, r::body);

        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl("imgstream")); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select (select count(*) from images) + (select count(*) from pending_uploads)")) {
            rs.next();
            assertEquals(0, rs.getInt(1), "nothing stored, no intent left");
        }
        try (Stream<Path> files = Files.walk(server.storageDirectory())) {
            assertEquals(0, files.filter(Files::isRegularFile).count(), "no object stored");
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        for (int i = from; i <= haystack.length - needle.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new IllegalArgumentException("not found");
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGSTOP of the postmaster and every child (each PostgreSQL child leads a process group of its own). */
    private synchronized void hang() {
        ProcessHandle postmaster = ProcessHandle.of(postgres.pid().orElseThrow()).orElseThrow();
        Stream.concat(Stream.of(postmaster), postmaster.descendants()).forEach(p -> stopped.add(Long.toString(p.pid())));
        signal("STOP", stopped);
    }

    private synchronized void resume() {
        signal("CONT", stopped);
        stopped.clear();
    }

    private static void signal(String signal, List<String> pids) {
        if (pids.isEmpty()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal, "--"));
        command.addAll(pids);
        try {
            assertEquals(0, new ProcessBuilder(command).inheritIO().start().waitFor(), "kill -" + signal);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
