package io.imgstream.adapter.jdbc;

import io.imgstream.adapter.storage.FilesystemObjectStorage;
import io.imgstream.application.port.ObjectStorage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;

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

    @Override
    protected void age(String objectName, Duration by) {
        try {
            Files.setLastModifiedTime(root.resolve(objectName), FileTime.from(Instant.now().minus(by)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
