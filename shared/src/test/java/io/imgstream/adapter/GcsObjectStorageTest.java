package io.imgstream.adapter;

import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import io.imgstream.adapter.storage.GcsObjectStorage;
import io.imgstream.application.port.ObjectStorage;
import io.imgstream.application.port.StorageUnavailableException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The contract against Google's in-process fake of the same {@code Storage} client interface. */
class GcsObjectStorageTest extends ObjectStorageContract {

    private ObjectStorage storage;

    @BeforeEach
    void setUp() {
        storage = new GcsObjectStorage(LocalStorageHelper.getOptions().getService(), "imgstream-test");
    }

    @Override
    protected ObjectStorage storage() {
        return storage;
    }

    /** Building the client costs a cold start ≈ 0.3 s; a first request that touches no object must not pay it. */
    @Test
    void theClientIsBuiltOnTheFirstOperationOnceAndAFailureToBuildItIsAnOutage() {
        AtomicInteger built = new AtomicInteger();
        GcsObjectStorage lazy = new GcsObjectStorage(() -> {
            built.incrementAndGet();
            return LocalStorageHelper.getOptions().getService();
        }, "imgstream-test");
        assertEquals(0, built.get(), "not with the adapter");
        lazy.write("users/u/images/i/v1", new ByteArrayInputStream(new byte[] {1, 2}), "image/png");
        assertTrue(lazy.stat("users/u/images/i/v1").isPresent());
        assertEquals(1, built.get(), "once, then kept");

        GcsObjectStorage broken = new GcsObjectStorage(() -> {
            throw new IllegalArgumentException("A project ID is required for this service but could not be determined");
        }, "imgstream-test");
        assertThrows(StorageUnavailableException.class, broken::probe);
    }
}
