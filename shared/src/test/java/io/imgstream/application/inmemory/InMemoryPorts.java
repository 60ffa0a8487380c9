package io.imgstream.application.inmemory;

import io.imgstream.adapter.storage.FilesystemObjectStorage;
import io.imgstream.application.NameSuggestions;
import io.imgstream.application.PublishEvents;
import io.imgstream.application.cleanup.CleanupSettings;
import io.imgstream.application.cleanup.RunCleanup;
import io.imgstream.application.collisioncheck.CheckCollisions;
import io.imgstream.application.upload.UploadImage;
import io.imgstream.config.ImgStreamConfiguration;
import io.imgstream.config.UploadLimits;
import io.imgstream.dev.Scratch;
import io.micronaut.serde.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * The use cases wired on in-memory ports, for tests of their rules without a database: one clock, one outbox shared
 * by the catalog and the publish path, a topic that can be down, and the real filesystem storage adapter on a fresh
 * scratch directory (bytes are the one thing not in memory).
 */
public final class InMemoryPorts {

    public final MutableClock clock = MutableClock.startingNow();
    public final InMemoryOutbox outbox = new InMemoryOutbox();
    public final InMemoryEventPublisher topic = new InMemoryEventPublisher();
    public final InMemoryImageCatalog catalog = new InMemoryImageCatalog(clock, outbox);
    public final InMemoryCollisionLookup collisions = new InMemoryCollisionLookup(catalog, clock);
    public final InMemoryCleanupStore cleanupStore = new InMemoryCleanupStore(catalog, collisions);
    public final Path storageRoot;
    public final FilesystemObjectStorage storage;

    public InMemoryPorts(String name) {
        storageRoot = Scratch.directory(name);
        storage = new FilesystemObjectStorage(storageRoot);
    }

    /** The settings the functions run with by default (500 per check, no monitoring). */
    public static ImgStreamConfiguration config() {
        return config(500, false);
    }

    public static ImgStreamConfiguration config(int collisionBatchSize, boolean monitoring) {
        return new ImgStreamConfiguration("test", collisionBatchSize, monitoring, null, "test", null);
    }

    /** The upload limits the functions run with by default (32 MiB, 100 M pixels). */
    public static UploadLimits limits() {
        return limits(1 << 25);
    }

    public static UploadLimits limits(long maxUploadBytes) {
        return new UploadLimits(maxUploadBytes, 100_000_000);
    }

    public PublishEvents publishEvents() {
        return new PublishEvents(outbox, topic);
    }

    public UploadImage uploadImage(UploadLimits limits) {
        return new UploadImage(catalog, storage, new NameSuggestions(catalog), limits, publishEvents());
    }

    public CheckCollisions checkCollisions(ImgStreamConfiguration config) {
        return new CheckCollisions(collisions, new NameSuggestions(catalog), config, clock);
    }

    /** Cleanup with a one-hour grace period, batches of {@code batchSize} and the default retention (72 h, 30 days). */
    public RunCleanup runCleanup(int batchSize) {
        return new RunCleanup(cleanupStore, storage, outbox, publishEvents(), settings(batchSize), clock,
                ObjectMapper.getDefault());
    }

    public static CleanupSettings settings(int batchSize) {
        return new CleanupSettings(Duration.ofMinutes(5), Duration.ofHours(1), batchSize, Duration.ofHours(72),
                Duration.ofDays(30));
    }

    /** How many objects the storage directory holds (its temporary files aside). */
    public long storedObjects() {
        try (Stream<Path> files = Files.walk(storageRoot)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> !storageRoot.relativize(p).startsWith(".partial")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
