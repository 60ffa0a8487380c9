package io.imgstream.bench;

import io.imgstream.adapter.jdbc.BenchAccess;
import io.imgstream.adapter.storage.FilesystemObjectStorage;
import io.imgstream.application.cleanup.CleanupReport;
import io.imgstream.application.cleanup.CleanupRequest;
import io.imgstream.application.cleanup.CleanupTask;
import io.imgstream.application.collision.CheckCollisions;
import io.imgstream.application.fetch.BenchCursor;
import io.imgstream.application.fetch.FetchImages;
import io.imgstream.support.Scratch;
import io.imgstream.support.TestDatabase;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * How cost grows with the library: the collision check (the use case in process, its one statement included) for
 * batches of 1, 50 and 500 names against one user's 10 k, 100 k and 1 M images and against 100 k of 10 users'; list
 * pages at depth 1, 100 and 10 000 in a 1 M library (keyset paging must stay flat); cleanup's purge of 100 k expired
 * (soft-deleted past retention) images with their objects. Rows are generated in PostgreSQL (generate_series), not
 * through the API.
 */
final class ScalingSuite {

    static final int[] LIBRARIES = {10_000, 100_000, 1_000_000};
    static final int[] BATCHES = {1, 50, 500};
    static final int[] DEPTHS = {1, 100, 10_000};
    static final int PAGE = 100;
    static final int PURGE = Integer.parseInt(System.getenv().getOrDefault("BENCH_SCALING_PURGE", "100000"));

    static void run(Path root) throws Exception {
        try (BenchEnvironment env = new BenchEnvironment(Map.of())) {
            CheckCollisions check = env.context.getBean(CheckCollisions.class);
            FetchImages fetch = env.context.getBean(FetchImages.class);
            UUID user = env.caller.userId();
            System.out.printf("%nScaling: one user's library grown in PostgreSQL (generate_series), the use cases in process"
                    + " against embedded PostgreSQL 15%n");

            Map<String, double[][]> collisionChart = new LinkedHashMap<>();
            Map<Integer, List<double[]>> byBatch = new LinkedHashMap<>();
            List<String[]> collisionRows = new ArrayList<>();
            int seeded = 0;
            Stats[] depthStats = new Stats[DEPTHS.length];
            for (int library : LIBRARIES) {
                long t = System.nanoTime();
                seed(user, seeded, library);
                seeded = library;
                TestDatabase.execute("analyze images");
                double seedSeconds = (System.nanoTime() - t) / 1e9;
                for (int batch : BATCHES) {
                    Stats s = collisions(check, env, batch, library);
                    collisionRows.add(row(String.format("%,d images, 1 user", library), batch, s, seedSeconds));
                    byBatch.computeIfAbsent(batch, b -> new ArrayList<>()).add(new double[]{library, s.median()});
                }
                if (library == LIBRARIES[LIBRARIES.length - 1]) {
                    for (int i = 0; i < DEPTHS.length; i++) {
                        depthStats[i] = listPage(fetch, env, user, DEPTHS[i]);
                    }
                }
            }
            // 10 users × 100 k: the same user's 100 k beside nine others' (the index holds 1 M rows, the user 100 k).
            TestDatabase.execute("truncate images cascade");
            long t = System.nanoTime();
            seed(user, 0, 100_000);
            for (int u = 1; u <= 9; u++) {
                UUID other = UUID.nameUUIDFromBytes(("scaling-" + u).getBytes());
                TestDatabase.execute("insert into users (id, name) values ('" + other + "', 'scaling-" + u + "') on conflict do nothing");
                seed(other, 0, 100_000);
            }
            TestDatabase.execute("analyze images");
            double seedSeconds = (System.nanoTime() - t) / 1e9;
            for (int batch : BATCHES) {
                Stats s = collisions(check, env, batch, 100_000);
                collisionRows.add(row("100,000 images of each of 10 users", batch, s, seedSeconds));
            }
            TestDatabase.execute("truncate images cascade");

            System.out.printf("%nCollision check (CheckCollisions in process: its one SQL statement, suggestions, answer),"
                    + " half the names taken, a quarter with a SHA-256%n");
            System.out.printf("%-36s %6s %10s %10s %12s%n", "library", "names", "p50", "p99", "seeded in");
            collisionRows.forEach(r -> System.out.printf("%-36s %6s %7s ms %7s ms %10s s%n", (Object[]) r));
            double p50At1M = byBatch.get(500).get(2)[1];
            double growth = p50At1M / byBatch.get(500).get(0)[1];
            System.out.printf("Targets: 500 names at 1 M images p50 ≤ 10 ms: %.2f ms, %s; growth 10 k → 1 M ≤ 2×: %.2fx, %s%n",
                    p50At1M, p50At1M <= 10 ? "met" : "not met", growth, growth <= 2 ? "met" : "not met");

            System.out.printf("%nList page (FetchImages.list, %d per page, keyset cursor) in a library of %,d images%n", PAGE,
                    LIBRARIES[LIBRARIES.length - 1]);
            System.out.printf("%-14s %10s %10s %12s%n", "page depth", "p50", "p99", "÷ depth 1");
            for (int i = 0; i < DEPTHS.length; i++) {
                System.out.printf("%,-14d %7.2f ms %7.2f ms %11.2fx%n", DEPTHS[i], depthStats[i].median(), depthStats[i].p99(),
                        depthStats[i].median() / depthStats[0].median());
            }
            double deep = depthStats[DEPTHS.length - 1].median() / depthStats[0].median();
            System.out.printf("Target: depth 10,000 p50 ≤ 1.2 × depth 1: %.2fx, %s%n", deep, deep <= 1.2 ? "met" : "not met");

            purge(user);

            byBatch.forEach((batch, points) -> collisionChart.put(batch + (batch == 1 ? " name" : " names"),
                    points.toArray(double[][]::new)));
            System.out.println("chart: " + root.relativize(Charts.lines(root, "scaling-collision.png",
                    "Collision check p50 against one user's library", "images in the user's library (log scale)",
                    "p50 per check (ms)", collisionChart)));
            double[][] depthPoints = new double[DEPTHS.length][];
            for (int i = 0; i < DEPTHS.length; i++) {
                depthPoints[i] = new double[]{DEPTHS[i], depthStats[i].median()};
            }
            System.out.println("chart: " + root.relativize(Charts.lines(root, "scaling-list.png",
                    "List page p50 by page depth, 1 M images", "page depth (log scale; 100 images a page)",
                    "p50 per page (ms)", Map.of("GET /images page", depthPoints))));
        }
    }

    /** Live images img-(from+1).jpg … img-to.jpg of one user, as the API would have stored them. */
    private static void seed(UUID user, int from, int to) {
        TestDatabase.execute("""
                insert into images (id, user_id, filename, collision_key, status, size_bytes, sha256, content_type, object_name)
                select gen_random_uuid(), '%s', 'img-' || g || '.jpg', 'img-' || g || '.jpg', 'LIVE', 1000,
                       sha256(('%s:' || g)::bytea), 'image/jpeg', 'users/%s/images/' || g
                from generate_series(%d, %d) g""".formatted(user, user, user, from + 1, to));
    }

    /** p50/p99 of checking {@code batch} names, half of them taken, spread across the library. */
    private static Stats collisions(CheckCollisions check, BenchEnvironment env, int batch, int library) {
        List<CheckCollisions.Item> items = new ArrayList<>();
        for (int i = 1; i <= batch; i++) {
            // taken names spread over the library; the others new
            long n = Math.max(1, (long) i * library / batch);
            String name = i % 2 == 0 || batch == 1 ? "IMG-" + n + ".JPG" : "new-" + i + ".jpg";
            items.add(new CheckCollisions.Item(name, i % 4 == 0 ? HexFormat.of().formatHex(new byte[32]) : null));
        }
        Runnable call = () -> {
            List<CheckCollisions.Result> results = check.check(env.caller, items);
            if (results.size() != batch) {
                throw new IllegalStateException("collision check answered " + results.size() + " of " + batch);
            }
        };
        int times = batch >= 500 ? 100 : 300;
        CollisionSuite.warmUp(times / 5, call);
        Stats s = new Stats();
        for (int i = 0; i < times; i++) {
            s.add(CollisionSuite.timeOnce(call));
        }
        return s;
    }

    /** p50/p99 of the page at {@code depth} (1 = the first page), reached through its cursor. */
    private static Stats listPage(FetchImages fetch, BenchEnvironment env, UUID user, int depth) throws Exception {
        String cursor = null;
        if (depth > 1) {
            try (Connection c = TestDatabase.dataSource().getConnection();
                 PreparedStatement st = c.prepareStatement("select collision_key, id from images where user_id = ? and status = 'LIVE'"
                         + " order by collision_key collate \"C\", id offset ? limit 1")) {
                st.setObject(1, user);
                st.setLong(2, (long) (depth - 1) * PAGE - 1);
                try (ResultSet rs = st.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalStateException("the library has no page " + depth);
                    }
                    cursor = BenchCursor.after(rs.getString(1), rs.getObject(2, UUID.class));
                }
            }
        }
        String at = cursor;
        Runnable call = () -> {
            FetchImages.Page page = fetch.list(env.caller, null, Integer.toString(PAGE), at);
            if (page.items().size() != PAGE) {
                throw new IllegalStateException("page " + depth + " held " + page.items().size() + " images");
            }
        };
        CollisionSuite.warmUp(50, call);
        Stats s = new Stats();
        for (int i = 0; i < 300; i++) {
            s.add(CollisionSuite.timeOnce(call));
        }
        return s;
    }

    /** Cleanup's purge of expired soft-deleted images with their objects (filesystem storage): time, rows/s, peak heap. */
    private static void purge(UUID user) throws Exception {
        Path dir = Scratch.directory("bench-scaling-purge");
        FilesystemObjectStorage storage = new FilesystemObjectStorage(dir);
        CleanupSuite.seedDeleted(storage, user, PURGE);
        var cleanup = BenchAccess.cleanup(TestDatabase.dataSource(), storage, Duration.ofSeconds(540));
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();
        System.gc();
        long before = heap.stream().mapToLong(p -> p.getUsage().getUsed()).sum();
        heap.forEach(MemoryPoolMXBean::resetPeakUsage);
        long t = System.nanoTime();
        CleanupReport report = cleanup.run(new CleanupRequest(Set.of(CleanupTask.PURGE_DELETED_IMAGES), false, PURGE * 2));
        double seconds = (System.nanoTime() - t) / 1e9;
        long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        long purged = report.counts().get("purge_deleted_images");
        long left = TestDatabase.count("select count(*) from images");
        System.out.printf("%nCleanup: purge of %,d expired (soft-deleted 100 h ago) images with their objects, filesystem storage%n",
                PURGE);
        System.out.printf("%-10s %10s %12s %28s %6s%n", "purged", "time", "rows/s", "peak heap (before the run)", "left");
        System.out.printf("%,-10d %8.1f s %12.0f %17.0f MB (%4.0f MB) %6d%n", purged, seconds, purged / seconds,
                peak / 1048576.0, before / 1048576.0, left);
        System.out.println("peak heap: the sum of the heap pools' peaks since the run began (an upper bound: pools peak at"
                + " different moments), in the benchmark's own JVM (-Xmx2g)");
        TestDatabase.execute("truncate images cascade");
    }

    private static String[] row(String library, int batch, Stats s, double seedSeconds) {
        return new String[]{library, Integer.toString(batch), String.format("%.2f", s.median()), String.format("%.2f", s.p99()),
                String.format("%.0f", seedSeconds)};
    }
}
