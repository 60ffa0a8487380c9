package io.imgstream.adapter.storage;

import io.imgstream.application.port.ObjectStorage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FilesystemObjectStorageTest extends ObjectStorageContract {

    @TempDir
    Path root;
    private FilesystemObjectStorage storage;

    @BeforeEach
    void setUp() {
        storage = new FilesystemObjectStorage(root);
    }

    @Override
    protected ObjectStorage storage() {
        return storage;
    }

    @Test
    void anObjectIsOnePlainFileHoldingExactlyItsBytes() throws Exception {
        byte[] data = {1, 2, 3, 4};
        storage.write("users/u/images/i/v1", new ByteArrayInputStream(data), "image/png");
        assertArrayEquals(data, Files.readAllBytes(root.resolve("users/u/images/i/v1")));
    }

    /** Larger than several write-behind steps: the flushes on the helper thread never reorder or lose bytes. */
    @Test
    void aLargeObjectWrittenWhileItIsFlushedReadsBackExactly() throws Exception {
        byte[] data = new byte[9 * 1024 * 1024 + 17];
        new java.util.Random(7).nextBytes(data);
        // Small reads, as a request stream hands them over, so that writes and flushes interleave.
        java.io.InputStream trickle = new java.io.FilterInputStream(new ByteArrayInputStream(data)) {
            @Override
            public int read(byte[] b, int off, int len) throws java.io.IOException {
                return super.read(b, off, Math.min(len, 8 * 1024 + 3));
            }
        };
        assertEquals(data.length, storage.write("users/u/images/i/v2", trickle, "image/png"));
        assertArrayEquals(data, Files.readAllBytes(root.resolve("users/u/images/i/v2")));
        try (var partial = Files.list(root.resolve(".partial"))) {
            assertEquals(0, partial.count(), "no temporary file is left");
        }
    }

    @Test
    void refusesNamesThatEscapeTheRoot() {
        assertThrows(IllegalArgumentException.class,
                () -> storage.write("../escape", new ByteArrayInputStream(new byte[1]), "image/png"));
        assertThrows(IllegalArgumentException.class, () -> storage.stat("/etc/passwd"));
    }
}
