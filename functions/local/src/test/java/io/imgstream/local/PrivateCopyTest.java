package io.imgstream.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The emulator runs copies of the jars so that a build beside it cannot change a running function's classes. */
class PrivateCopyTest {

    @Test
    void aRebuildInPlaceDoesNotReachTheRunningCopy(@TempDir Path dir) throws Exception {
        Path built = dir.resolve("imgstream-fetch-function.jar");
        Files.write(built, "first build".getBytes());
        Path running = LocalEmulator.privateCopy(built, dir.resolve("run"));

        // Maven's shade plugin rewrites the target jar in place (same file, truncated)
        Files.write(built, "second build, longer".getBytes(), StandardOpenOption.TRUNCATE_EXISTING);
        assertArrayEquals("first build".getBytes(), Files.readAllBytes(running));
    }

    @Test
    void aNewCopyLeavesAReaderOfThePreviousOneItsBytes(@TempDir Path dir) throws Exception {
        Path built = dir.resolve("imgstream-upload-function.jar");
        Files.write(built, "v1 v1 v1".getBytes());
        Path running = LocalEmulator.privateCopy(built, dir.resolve("run"));
        try (InputStream open = Files.newInputStream(running)) {
            Files.write(built, "v2".getBytes());
            Path next = LocalEmulator.privateCopy(built, dir.resolve("run"));
            assertEquals(running, next);
            assertArrayEquals("v2".getBytes(), Files.readAllBytes(next));
            assertArrayEquals("v1 v1 v1".getBytes(), open.readAllBytes(), "a process still reading the old copy");
        }
        try (var files = Files.list(dir.resolve("run"))) {
            assertEquals(1, files.count(), "no partial copies left behind");
        }
    }
}
