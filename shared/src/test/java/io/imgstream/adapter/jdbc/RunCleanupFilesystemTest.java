package io.imgstream.adapter.jdbc;

import io.imgstream.adapter.storage.FilesystemObjectStorage;
import io.imgstream.application.port.ObjectStorage;
import io.imgstream.application.cleanup.CleanupReport;
import io.imgstream.application.cleanup.CleanupRequest;
import io.imgstream.application.cleanup.CleanupTask;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunCleanupFilesystemTest extends RunCleanupContract {

    @TempDir
    Path root;
    private FilesystemObjectStorage storage;

    @BeforeEach
    void useStorage() {
        storage = new FilesystemObjectStorage(root);
        cleanup = runner(1000);
    }

    @Override
    protected ObjectStorage storage() {
        return storage;
    }

    /** A process killed mid-upload leaves its temporary file; the rename into the object name never came. */
    @Test
    void removesTheTemporaryFilesOfWritesAKilledProcessLeft() throws IOException {
        Path partials = Files.createDirectories(root.resolve(".partial"));
        Path abandoned = Files.write(partials.resolve("abandoned.part"), new byte[]{1, 2, 3});
        Files.setLastModifiedTime(abandoned, FileTime.from(Instant.now().minus(Duration.ofHours(3))));
        Path writing = Files.write(partials.resolve("writing.part"), new byte[]{4});

        CleanupReport dry = cleanup.run(new CleanupRequest(Set.of(CleanupTask.ORPHAN_OBJECTS), true, 10_000));
        assertEquals(1L, dry.counts().get("orphan_objects"));
        assertTrue(Files.exists(abandoned), "a dry run removes nothing");

        CleanupReport report = cleanup.run(only(CleanupTask.ORPHAN_OBJECTS));
        assertEquals(1L, report.counts().get("orphan_objects"));
        assertFalse(Files.exists(abandoned));
        assertTrue(Files.exists(writing), "a write still within the grace period may be in progress");
        assertEquals(0L, cleanup.run(only(CleanupTask.ORPHAN_OBJECTS)).counts().get("orphan_objects"), "idempotent");
    }

    @Override
    protected void age(String objectName, Duration by) {
        try {
            Files.setLastModifiedTime(root.resolve(objectName), FileTime.from(Instant.now().minus(by)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
