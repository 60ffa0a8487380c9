package io.imgstream.adapter.jdbc;

import io.imgstream.adapter.storage.FilesystemObjectStorage;
import io.imgstream.application.NameSuggestions;
import io.imgstream.application.PublishEvents;
import io.imgstream.application.cleanup.CleanupRequest;
import io.imgstream.application.cleanup.CleanupSettings;
import io.imgstream.application.cleanup.CleanupTask;
import io.imgstream.application.cleanup.RunCleanup;
import io.imgstream.application.port.ImageCatalog;
import io.imgstream.application.port.ObjectStorage;
import io.imgstream.application.upload.UploadCommand;
import io.imgstream.application.upload.UploadImage;
import io.imgstream.config.UploadLimits;
import io.imgstream.domain.Caller;
import io.imgstream.domain.ConflictPolicy;
import io.imgstream.domain.ErrorCode;
import io.imgstream.domain.Image;
import io.imgstream.domain.ImgStreamException;
import io.imgstream.dev.TestDatabase;
import io.imgstream.dev.TestImages;
import io.micronaut.serde.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Crashes in the middle of the write protocol, injected around the real adapters: the invariant "no live row
 * without its object" holds, and what is left behind is found by cleanup.
 */
class UploadFaultsTest {

    static final UUID USER = UUID.fromString("00000000-0000-0000-0000-0000000fa017");
    private static final UploadLimits LIMITS = new UploadLimits(1 << 25, 100_000_000);

    @TempDir
    Path root;
    private FilesystemObjectStorage storage;
    private JdbcImageCatalog catalog;

    @BeforeEach
    void setUp() {
        TestDatabase.truncateAll();
        TestDatabase.execute("insert into users (id, name) values ('" + USER + "', 'faults')");
        storage = new FilesystemObjectStorage(root);
        catalog = JdbcAdapters.testDatabase().catalog();
    }

    private UploadImage upload(ObjectStorage storage, ImageCatalog catalog) {
        PublishEvents events = new PublishEvents(JdbcAdapters.testDatabase().outbox(), null);
        return new UploadImage(catalog, storage, new NameSuggestions(catalog), LIMITS, events);
    }

    private static UploadCommand command(byte[] bytes) {
        return new UploadCommand(new Caller(USER, UUID.randomUUID()), "crash.png", new ByteArrayInputStream(bytes),
                bytes.length, ConflictPolicy.REJECT);
    }

    private long objects() throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).filter(p -> !p.toString().contains(".partial")).count();
        }
    }

    /** The real filesystem adapter, whose disk "fails" after {@code afterBytes} bytes of a write. */
    private ObjectStorage failingMidStream(long afterBytes) {
        return (ObjectStorage) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{ObjectStorage.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("write")) {
                        InputStream failing = new FilterInputStream((InputStream) args[1]) {
                            long seen;

                            @Override
                            public int read(byte[] b, int off, int len) throws IOException {
                                if (seen > afterBytes) {
                                    throw new IOException("No space left on device");
                                }
                                int n = super.read(b, off, len);
                                seen += Math.max(0, n);
                                return n;
                            }
                        };
                        args = new Object[]{args[0], failing, args[2]};
                    }
                    try {
                        return method.invoke(storage, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** The process dies: nothing after this point runs, not even a catch block. */
    static final class Crash extends Error {
        Crash() {
            super("simulated crash", null, false, false);
        }
    }

    /** The real catalog, failing with {@code failure} once the object has been written. */
    private ImageCatalog failingAfterObjectWrite(Throwable failure) {
        return (ImageCatalog) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{ImageCatalog.class},
                (proxy, method, args) -> {
                    if (Set.of("insertLive", "replace", "forgetPending").contains(method.getName())) {
                        throw failure;
                    }
                    try {
                        return method.invoke(catalog, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void aStorageFailureMidStreamLeavesNoRowNoObjectAndAnswers503() throws IOException {
        byte[] png = TestImages.pngOfSize(600_000, 1);
        ImgStreamException e = assertThrows(ImgStreamException.class,
                () -> upload(failingMidStream(300_000), catalog).upload(command(png)));
        assertEquals(ErrorCode.SERVICE_UNAVAILABLE, e.code());
        assertEquals(0, TestDatabase.count("select count(*) from images"));
        assertEquals(0, TestDatabase.count("select count(*) from pending_uploads"));
        assertEquals(0, objects());
        assertEquals(0, TestDatabase.count("select count(*) from event_outbox"));
    }

    private RunCleanup cleanupWithoutGrace() {
        return new RunCleanup(JdbcAdapters.testDatabase().cleanupStore(), storage,
                JdbcAdapters.testDatabase().outbox(), new PublishEvents(JdbcAdapters.testDatabase().outbox(), null),
                new CleanupSettings(Duration.ofMinutes(5), Duration.ZERO, 100, Duration.ofHours(72), Duration.ofDays(30)),
                Clock.systemUTC(), ObjectMapper.getDefault());
    }

    @Test
    void aDatabaseFailureOfTheCommitAnswers503AndLeavesObjectAndIntentToCleanup() throws IOException {
        ImgStreamException e = assertThrows(ImgStreamException.class, () -> upload(storage,
                failingAfterObjectWrite(new DatabaseException(new SQLException("Connection refused", "08001"))))
                .upload(command(TestImages.png(4))));
        assertEquals(ErrorCode.SERVICE_UNAVAILABLE, e.code());
        assertEquals(0, TestDatabase.count("select count(*) from images"));
        // The commit's outcome is unknown to the upload (a COMMIT sent to a hung server applies when it resumes): the
        // object is kept, never deleted under a row that may exist, and no second database call waits to forget the intent.
        assertEquals(1, objects(), "the object stays while the commit's outcome is unknown");
        assertEquals(1, TestDatabase.count("select count(*) from pending_uploads"), "the intent names it for cleanup");
        cleanupWithoutGrace().run(new CleanupRequest(Set.of(CleanupTask.STALE_PENDING_UPLOADS), false, 100));
        assertEquals(0, objects(), "no row took it: cleanup deleted it");
        assertEquals(0, TestDatabase.count("select count(*) from pending_uploads"));
    }

    @Test
    void aCrashAfterTheObjectWriteLeavesAnOrphanThatCleanupRemoves() throws IOException {
        byte[] png = TestImages.png(2);
        assertThrows(Crash.class, () -> upload(storage, failingAfterObjectWrite(new Crash())).upload(command(png)));
        assertEquals(0, TestDatabase.count("select count(*) from images"), "no live row without its object, nor any row");
        // The object was written and its intent recorded before the crash…
        assertEquals(1, TestDatabase.count("select count(*) from pending_uploads"));
        assertEquals(1, objects());
        try (Stream<Path> files = Files.walk(root)) {
            Path object = files.filter(Files::isRegularFile).findFirst().orElseThrow();
            assertEquals(true, Arrays.equals(png, Files.readAllBytes(object)));
        }
        // …so cleanup finds and removes it once the grace period is over.
        cleanupWithoutGrace().run(new CleanupRequest(Set.of(CleanupTask.STALE_PENDING_UPLOADS), false, 100));
        assertEquals(0, objects());
        assertEquals(0, TestDatabase.count("select count(*) from pending_uploads"));
    }

    @Test
    void aSuccessfulUploadAfterwardsIsUnaffected() {
        Image image = upload(storage, catalog).upload(command(TestImages.png(3))).image();
        assertEquals("crash.png", image.filename());
    }
}
