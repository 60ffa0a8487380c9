package io.imgstream.adapter.jdbc;

import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import io.imgstream.adapter.storage.GcsObjectStorage;
import io.imgstream.application.port.ObjectStorage;
import org.junit.jupiter.api.BeforeEach;

import java.time.Duration;

/**
 * The same fixtures on Google's in-process Storage fake. It cannot backdate an object's creation time, so
 * this run uses a zero grace period (the filesystem run covers the grace period itself).
 */
class RunCleanupGcsTest extends RunCleanupContract {

    private ObjectStorage storage;

    @BeforeEach
    void useStorage() {
        storage = new GcsObjectStorage(LocalStorageHelper.getOptions().getService(), "cleanup-" + java.util.UUID.randomUUID());
        cleanup = runner(1000);
    }

    @Override
    protected ObjectStorage storage() {
        return storage;
    }

    @Override
    protected Duration grace() {
        return Duration.ZERO;
    }

    @Override
    protected void age(String objectName, Duration by) {
        // creation times are fixed by the fake; the grace period is zero here
    }
}
