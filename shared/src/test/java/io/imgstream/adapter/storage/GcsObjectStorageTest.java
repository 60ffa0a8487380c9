package io.imgstream.adapter.storage;

import com.google.cloud.storage.Storage;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import io.imgstream.application.port.ObjectStorage;
import io.imgstream.application.port.StorageUnavailableException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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

    /** A content GET makes one request to GCS: no metadata lookup before the read, and a missing object is still empty. */
    @Test
    void readsWithoutAMetadataRequestFirst() throws Exception {
        Storage fake = LocalStorageHelper.getOptions().getService();
        Map<String, Integer> calls = new ConcurrentHashMap<>();
        GcsObjectStorage gcs = new GcsObjectStorage(counting(fake, calls), "imgstream-test");
        byte[] bytes = new byte[200_000];
        new java.util.Random(7).nextBytes(bytes);
        gcs.write("users/u/images/r/v1", new ByteArrayInputStream(bytes), "image/png");
        calls.clear();

        try (InputStream in = gcs.read("users/u/images/r/v1", 0, -1).orElseThrow()) {
            assertArrayEquals(bytes, in.readAllBytes());
        }
        try (InputStream in = gcs.read("users/u/images/r/v1", 70_000, 100_000).orElseThrow()) {
            assertArrayEquals(java.util.Arrays.copyOfRange(bytes, 70_000, 170_000), in.readAllBytes());
        }
        assertTrue(gcs.read("users/u/images/none/v1", 0, -1).isEmpty());
        assertEquals(Map.of("reader", 3), calls, "one reader per read, nothing else");
    }

    /** An image under one chunk is one request (no resumable session to open); a larger one a resumable upload. */
    @Test
    void writesAnImageUnderOneChunkInOneRequest() throws Exception {
        Storage fake = LocalStorageHelper.getOptions().getService();
        Map<String, Integer> calls = new ConcurrentHashMap<>();
        GcsObjectStorage gcs = new GcsObjectStorage(counting(fake, calls), "imgstream-test");
        for (int size : new int[]{1, GcsObjectStorage.CHUNK_SIZE - 1, GcsObjectStorage.CHUNK_SIZE, 2 * GcsObjectStorage.CHUNK_SIZE + 7}) {
            byte[] bytes = new byte[size];
            new java.util.Random(size).nextBytes(bytes);
            calls.clear();
            assertEquals(size, gcs.write("users/u/images/w" + size + "/v1", new ByteArrayInputStream(bytes), "image/png"));
            assertEquals(Map.of(size < GcsObjectStorage.CHUNK_SIZE ? "create" : "writer", 1), calls, size + " bytes");
            try (InputStream in = gcs.read("users/u/images/w" + size + "/v1", 0, -1).orElseThrow()) {
                assertArrayEquals(bytes, in.readAllBytes(), size + " bytes");
            }
        }
    }

    private Storage counting(Storage real, Map<String, Integer> calls) {
        return (Storage) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{Storage.class},
                (proxy, method, args) -> {
                    calls.merge(method.getName(), 1, Integer::sum);
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
