package io.imgstream.adapter.jdbc;

import io.imgstream.dev.EmbeddedPostgresServer;
import io.imgstream.dev.SchemaMigrator;
import io.imgstream.application.AdministerAccounts;
import io.imgstream.application.AuthenticateCaller;
import io.imgstream.application.CheckHealth;
import io.imgstream.application.port.ImageCatalog;
import io.imgstream.application.upload.UploadCommand;
import io.imgstream.application.upload.UploadImage;
import io.imgstream.domain.Caller;
import io.imgstream.domain.ConflictPolicy;
import io.imgstream.domain.ErrorCode;
import io.imgstream.domain.ImgStreamException;
import io.imgstream.support.Fixtures;
import io.imgstream.support.FrozenServer;
import io.imgstream.dev.TestImages;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A hung PostgreSQL — every process of a real server stopped with SIGSTOP, as a frozen VM or a network partition looks:
 * the connection stays open and nothing answers — meets the functions' real pool (micronaut-jdbc-hikari with the
 * bounds of application.properties). Every wait is bounded: a query on an open connection, a new connection, /health,
 * and an upload whose commit meets the hang, which answers 503 once (not after a second wait to forget its intent) and
 * leaves its object to cleanup, since the commit may yet apply. Without the socket bound these calls never return
 * (the preemptive timeout fails them); without the compensation fix the upload takes two waits.
 */
class HungDatabaseTest {

    /** The request bound of the defaults (max of connect 4 s and socket 5 s), plus scheduling slack. */
    private static final Duration BOUND = Duration.ofMillis(6000);

    private static Path directory;
    private static EmbeddedPostgresServer server;
    private static ApplicationContext context;
    private static Path storage;
    private final List<FrozenServer> frozen = new ArrayList<>();

    @BeforeAll
    static void startServer() throws IOException {
        directory = Files.createTempDirectory("imgstream-hung-pg");
        server = EmbeddedPostgresServer.start(directory.resolve("data"), 0, true);
        server.createDatabase("imgstream");
        SchemaMigrator.migrate(server.jdbcUrl("imgstream"));
        storage = directory.resolve("storage");
        context = ApplicationContext.run(Map.of(
                "imgstream.database.url", server.jdbcUrl("imgstream"),
                "imgstream.storage.bucket", "",
                "imgstream.storage.local-dir", storage.toString()));
    }

    @AfterAll
    static void stopServer() throws IOException {
        if (context != null) {
            context.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void resume() {
        frozen.forEach(FrozenServer::close);
        frozen.clear();
    }

    @Test
    void theDataSourceOfTheFunctionsCarriesEveryBound() throws Exception {
        javax.sql.DataSource pool = io.micronaut.data.connection.jdbc.advice.DelegatingDataSource.unwrapDataSource(
                context.getBean(javax.sql.DataSource.class));
        try (Connection c = pool.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("show statement_timeout")) {
            rs.next();
            assertEquals("4s", rs.getString(1));
            assertEquals(5000, c.getNetworkTimeout(), "pgjdbc's socketTimeout, in ms");
        }
    }

    @Test
    void aQueryOnAnOpenConnectionToAHungServerIsA503WithinTheBound() {
        ImageCatalog catalog = context.getBean(ImageCatalog.class);
        Caller caller = caller();
        catalog.findLiveByKey(caller.userId(), "warm.png"); // an open, recently used connection in the pool
        hang();
        long t0 = System.nanoTime();
        ImgStreamException e = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThrows(ImgStreamException.class,
                () -> catalog.findLiveByKey(caller.userId(), "any.png")));
        assertWithinBound(t0);
        assertEquals(ErrorCode.SERVICE_UNAVAILABLE, e.code());
        resume();
        // recovery without a restart: the broken connection was dropped, the next call gets a fresh one
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> catalog.findLiveByKey(caller.userId(), "any.png"));
    }

    @Test
    void healthSaysDatabaseDownWithinTheBound() {
        CheckHealth health = context.getBean(CheckHealth.class);
        assertEquals("up", health.check().services().get("database"));
        hang();
        long t0 = System.nanoTime();
        CheckHealth.Report report = assertTimeoutPreemptively(Duration.ofSeconds(30), health::check);
        assertWithinBound(t0);
        assertEquals("down", report.services().get("database"));
        assertFalse(report.healthy());
        resume();
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertTrue(health.check().healthy()));
    }

    @Test
    void anUploadWhoseCommitMeetsTheHangAnswers503OnceAndLeavesItsObjectToCleanup() throws Exception {
        UploadImage upload = context.getBean(UploadImage.class);
        Caller caller = caller();
        String name = "hung-" + System.nanoTime() + ".png";
        // a PNG padded past the header the upload reads first: the rest streams to storage after the intent is recorded;
        // the server hangs when the last bytes are read, so the commit is the call that meets it
        byte[] body = TestImages.pngOfSize(600 * 1024, 7);
        AtomicBoolean hung = new AtomicBoolean();
        InputStream stream = new FilterInputStream(new ByteArrayInputStream(body)) {
            private long read;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                read += Math.max(n, 0);
                if (read >= body.length && hung.compareAndSet(false, true)) {
                    hang();
                }
                return n;
            }
        };
        long t0 = System.nanoTime();
        ImgStreamException e = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThrows(ImgStreamException.class,
                () -> upload.upload(new UploadCommand(caller, name, stream, body.length, ConflictPolicy.REJECT))));
        assertWithinBound(t0);
        assertTrue(hung.get(), "the server hung during the upload");
        assertEquals(ErrorCode.SERVICE_UNAVAILABLE, e.code());
        resume();

        // the state: no live row, the intent kept and its object with it, for cleanup to decide once the grace is over
        try (Connection c = DriverManager.getConnection(server.jdbcUrl("imgstream")); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("select count(*) from images where filename = '" + name + "'")) {
                rs.next();
                assertEquals(0, rs.getInt(1), "the insert did not commit");
            }
            try (ResultSet rs = st.executeQuery("select object_name from pending_uploads where object_name like 'users/"
                    + caller.userId() + "/%'")) {
                assertTrue(rs.next(), "the intent stays: cleanup removes the object it names");
                Path object = storage.resolve(rs.getString(1));
                assertTrue(Files.isRegularFile(object), "the object is left to cleanup, not deleted while the outcome is unknown");
            }
        }
    }

    private static Caller caller() {
        String key = Fixtures.userWithKey(context.getBean(AdministerAccounts.class), "hung");
        return context.getBean(AuthenticateCaller.class).authenticate("Bearer " + key, null);
    }

    private static void assertWithinBound(long t0) {
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms <= BOUND.toMillis(), "answered after " + ms + " ms; the bound is " + BOUND.toMillis() + " ms");
    }

    /** The whole server frozen (SIGSTOP of every process), until {@link #resume()}. */
    private synchronized void hang() {
        frozen.add(FrozenServer.freeze(server));
    }

}
