package io.imgstream.adapter.storage;

import io.imgstream.application.port.ObjectStorage;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The behaviour every storage adapter must show; each adapter's test extends it. */
public abstract class ObjectStorageContract {

    protected abstract ObjectStorage storage();

    private static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void writtenBytesReadBackExactly() throws IOException {
        byte[] data = bytes(3 * 1024 * 1024 + 17, 1);
        long written = storage().write("users/u1/images/i1/v1", new ByteArrayInputStream(data), "image/png");
        assertEquals(data.length, written);
        try (InputStream in = storage().read("users/u1/images/i1/v1", 0, -1).orElseThrow()) {
            assertArrayEquals(data, in.readAllBytes());
        }
        assertEquals(data.length, storage().stat("users/u1/images/i1/v1").orElseThrow().sizeBytes());
    }

    @Test
    void readsARangeOfBytes() throws IOException {
        byte[] data = bytes(1000, 2);
        storage().write("users/u1/images/i2/v1", new ByteArrayInputStream(data), "image/png");
        try (InputStream in = storage().read("users/u1/images/i2/v1", 100, 50).orElseThrow()) {
            byte[] expected = new byte[50];
            System.arraycopy(data, 100, expected, 0, 50);
            assertArrayEquals(expected, in.readAllBytes());
        }
        try (InputStream in = storage().read("users/u1/images/i2/v1", 990, -1).orElseThrow()) {
            assertEquals(10, in.readAllBytes().length);
        }
    }

    @Test
    void missingObjectsAreAbsentNotErrors() {
        assertTrue(storage().read("users/u1/images/none/v1", 0, -1).isEmpty());
        assertTrue(storage().stat("users/u1/images/none/v1").isEmpty());
        assertFalse(storage().delete("users/u1/images/none/v1"));
    }

    @Test
    void deleteRemovesAndIsIdempotent() {
        storage().write("users/u1/images/i3/v1", new ByteArrayInputStream(bytes(10, 3)), "image/png");
        assertTrue(storage().delete("users/u1/images/i3/v1"));
        assertFalse(storage().delete("users/u1/images/i3/v1"));
        assertTrue(storage().stat("users/u1/images/i3/v1").isEmpty());
    }

    @Test
    void listsByPrefix() {
        storage().write("users/a/images/1/v1", new ByteArrayInputStream(bytes(5, 4)), "image/png");
        storage().write("users/a/images/2/v1", new ByteArrayInputStream(bytes(6, 5)), "image/png");
        storage().write("users/b/images/3/v1", new ByteArrayInputStream(bytes(7, 6)), "image/png");
        try (var listed = storage().list("users/a/")) {
            List<String> names = listed.map(ObjectStorage.StoredObject::name).sorted().toList();
            assertEquals(List.of("users/a/images/1/v1", "users/a/images/2/v1"), names);
        }
    }

    @Test
    void aWriteThatFailsMidStreamLeavesNoObject() {
        InputStream failing = new InputStream() {
            private int served;

            @Override
            public int read() throws IOException {
                if (served++ > 300_000) {
                    throw new IOException("client went away");
                }
                return 7;
            }
        };
        assertThrows(RuntimeException.class, () -> storage().write("users/u1/images/i4/v1", failing, "image/png"));
        assertTrue(storage().stat("users/u1/images/i4/v1").isEmpty(), () -> "left " + storage().stat("users/u1/images/i4/v1"));
        try (var listed = storage().list("users/u1/images/i4/")) {
            assertEquals(0, listed.count());
        }
    }

    @Test
    void probeSucceedsOnAWorkingBackend() {
        storage().probe();
    }
}
