package io.imgstream.bench;

import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import io.imgstream.adapter.jdbc.BenchAccess;
import io.imgstream.adapter.storage.FilesystemObjectStorage;
import io.imgstream.adapter.storage.GcsObjectStorage;
import io.imgstream.application.cleanup.CleanupReport;
import io.imgstream.application.cleanup.CleanupRequest;
import io.imgstream.application.cleanup.CleanupTask;
import io.imgstream.application.port.ObjectStorage;
import io.imgstream.dev.Scratch;
import io.imgstream.dev.TestDatabase;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Purge of 100 k soft-deleted images with objects, on both storage adapters, next to a raw delete loop. */
final class CleanupSuite {

    static final int IMAGES = Integer.parseInt(System.getenv().getOrDefault("BENCH_CLEANUP_IMAGES", "100000"));

    static void run() throws Exception {
        System.out.printf("%nCleanup: purge of %,d soft-deleted images with their objects (budget 540 s)%n", IMAGES);
        Path dir = Scratch.directory("bench-cleanup");
        double fs = purge("filesystem", new FilesystemObjectStorage(dir));
        double gcs = purge("LocalStorageHelper", new GcsObjectStorage(LocalStorageHelper.getOptions().getService(), "bench"));
        Path raw = Scratch.directory("bench-raw");
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < IMAGES; i++) {
            Path f = raw.resolve("d" + (i % 1000)).resolve("f" + i);
            Files.createDirectories(f.getParent());
            Files.write(f, new byte[]{1, 2, 3});
            files.add(f);
        }
        long t = System.nanoTime();
        for (Path f : files) {
            Files.delete(f);
        }
        double rawRate = IMAGES / ((System.nanoTime() - t) / 1e9);
        System.out.printf("%-22s %10.0f items/s (baseline: Files.delete alone, no database)%n", "raw delete", rawRate);
        System.out.printf("ratio: filesystem purge ÷ raw delete = %.2f; LocalStorageHelper purge ÷ raw delete = %.2f%n",
                fs / rawRate, gcs / rawRate);
    }

    /** {@code images} images of {@code user} soft-deleted 100 hours ago (past any retention), each with its object. */
    static void seedDeleted(ObjectStorage storage, UUID user, int images) throws Exception {
        TestDatabase.execute("""
                insert into images (id, user_id, filename, collision_key, status, size_bytes, sha256, content_type,
                    object_name, deleted_at)
                select id, '%s', 'f' || g, 'f' || g, 'DELETED', 3, sha256('x'),
                    'image/png', 'users/%s/images/' || id || '/v1', now() - interval '100 hours'
                from (select gen_random_uuid() id, g from generate_series(1, %d) g) s""".formatted(user, user, images));
        try (Connection c = TestDatabase.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select object_name from images where status = 'DELETED'")) {
            while (rs.next()) {
                if (storage instanceof FilesystemObjectStorage files) {
                    // Seeded as plain files at the adapter's layout: its durable write (two syncs an object) would make
                    // seeding 100 k objects take minutes and is not what this suite measures.
                    Path object = files.root().resolve(rs.getString(1));
                    Files.createDirectories(object.getParent());
                    Files.write(object, new byte[]{1, 2, 3});
                } else {
                    storage.write(rs.getString(1), new ByteArrayInputStream(new byte[]{1, 2, 3}), "image/png");
                }
            }
        }
    }

    private static double purge(String name, ObjectStorage storage) throws Exception {
        TestDatabase.truncateAll();
        UUID user = UUID.fromString("00000000-0000-0000-0000-0000000be4c4");
        TestDatabase.execute("insert into users (id, name) values ('" + user + "', 'purge')");
        seedDeleted(storage, user, IMAGES);
        var cleanup = BenchAccess.cleanup(TestDatabase.dataSource(), storage, Duration.ofSeconds(540));
        long t = System.nanoTime();
        CleanupReport report = cleanup.run(new CleanupRequest(Set.of(CleanupTask.PURGE_DELETED_IMAGES), false, IMAGES * 2));
        double seconds = (System.nanoTime() - t) / 1e9;
        long purged = report.counts().get("purge_deleted_images");
        double rate = purged / seconds;
        long left = TestDatabase.count("select count(*) from images");
        System.out.printf("%-22s %10.0f items/s  %,d purged in %.1f s, %d left, runs needed within 540 s: %d%n", name, rate,
                purged, seconds, left, (long) Math.ceil(IMAGES / (rate * 540)));
        return rate;
    }
}
