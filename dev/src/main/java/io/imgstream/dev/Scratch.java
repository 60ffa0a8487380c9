package io.imgstream.dev;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.stream.Stream;

/**
 * Temporary directories and files of a test or benchmark JVM, removed with their contents when the JVM exits: a
 * test run stores images, a benchmark 32 MiB bodies, and none of it may pile up in the developer's {@code /tmp}.
 */
public final class Scratch {

    private static final Deque<Path> CREATED = new ConcurrentLinkedDeque<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Scratch::removeAll, "scratch-removal"));
    }

    private Scratch() {
    }

    public static Path directory(String prefix) {
        try {
            return remember(Files.createTempDirectory(prefix));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path file(String prefix, String suffix) {
        try {
            return remember(Files.createTempFile(prefix, suffix));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path remember(Path path) {
        CREATED.push(path);
        return path;
    }

    /** Newest first; a file something else removed or still writes to is skipped, never a reason to fail the exit. */
    static void removeAll() {
        for (Path root; (root = CREATED.poll()) != null; ) {
            try (Stream<Path> tree = Files.walk(root)) {
                tree.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | UncheckedIOException e) {
                // gone already, or unreadable: nothing of ours to remove
            }
        }
    }
}
