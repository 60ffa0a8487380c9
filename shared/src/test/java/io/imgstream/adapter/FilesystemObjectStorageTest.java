package io.imgstream.adapter;

import io.imgstream.adapter.storage.FilesystemObjectStorage;
import io.imgstream.application.port.ObjectStorage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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

    @Test
    void refusesNamesThatEscapeTheRoot() {
        assertThrows(IllegalArgumentException.class,
                () -> storage.write("../escape", new ByteArrayInputStream(new byte[1]), "image/png"));
        assertThrows(IllegalArgumentException.class, () -> storage.stat("/etc/passwd"));
    }
}
