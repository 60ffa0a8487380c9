package io.imgstream.bench;

import io.imgstream.adapter.jdbc.BenchAccess;
import io.imgstream.application.AdministerAccounts;
import io.imgstream.application.AuthenticateCaller;
import io.imgstream.application.NameSuggestions;
import io.imgstream.application.port.CollisionLookup;
import io.imgstream.domain.Filename;
import io.imgstream.adapter.storage.FilesystemObjectStorage;
import io.imgstream.application.cleanup.CleanupReport;
import io.imgstream.application.cleanup.CleanupRequest;
import io.imgstream.application.cleanup.CleanupTask;
import io.imgstream.application.collisioncheck.CheckCollisions;
import io.imgstream.application.fetch.BenchCursor;
import io.imgstream.application.fetch.FetchImages;
import io.imgstream.domain.Caller;
import io.imgstream.dev.Scratch;
import io.imgstream.dev.TestDatabase;

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
 * batches of 1, 50 and 500 names against one user's 10 k, 100 k and 1 M images and against 100 k of 10 users' (all in one
 * table, each library one user's, measured in interleaved rounds); list
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

    /** Rounds of measurement; each round times every (library, batch) pair and every page depth a few times in turn. */
    static final int ROUNDS = Integer.parseInt(System.getenv().getOrDefault("BENCH_SCALING_ROUNDS", "20"));

    static void run(Path root) throws Exception {
        try (BenchEnvironment env = new BenchEnvironment(Map.of())) {
            CheckCollisions check = env.context.getBean(CheckCollisions.class);
            CollisionLookup lookup = env.context.getBean(CollisionLookup.class);
            FetchImages fetch = env.context.getBean(FetchImages.class);
            AdministerAccounts admin = env.context.getBean(AdministerAccounts.class);
            AuthenticateCaller authenticate = env.context.getBean(AuthenticateCaller.class);
            // Every library is one user's, all in the one images table (as in production, where users share it): the
            // libraries can then be measured in the same minutes, in turn, rather than one after another as they grow.
            Map<String, Caller> libraries = new LinkedHashMap<>();
            Map<String, Integer> sizes = new LinkedHashMap<>();
            long t = System.nanoTime();
            for (int library : LIBRARIES) {
                Caller caller = caller(admin, authenticate, "lib-" + library);
                seed(caller.userId(), 0, library);
                libraries.put(String.format("%,d images, 1 user", library), caller);
                sizes.put(String.format("%,d images, 1 user", library), library);
            }
            Caller shared = null;
            for (int u = 1; u <= 10; u++) {
                Caller caller = caller(admin, authenticate, "ten-" + u);
                seed(caller.userId(), 0, 100_000);
                shared = shared == null ? caller : shared;
            }
            libraries.put("100,000 images of each of 10 users", shared);
            sizes.put("100,000 images of each of 10 users", 100_000);
            TestDatabase.execute("analyze images");
            System.out.printf("%nScaling: seeded %,d images in PostgreSQL (generate_series) in %.0f s: one user each with %s, and"
                            + " 10 users with 100,000 each; the use cases in process against embedded PostgreSQL 15, %d interleaved"
                            + " rounds%n", TestDatabase.count("select count(*) from images"), (System.nanoTime() - t) / 1e9,
                    java.util.Arrays.stream(LIBRARIES).mapToObj(l -> String.format("%,d", l))
                            .collect(java.util.stream.Collectors.joining(", ")), ROUNDS);

            Map<String, Map<Integer, Runnable>> collisionCalls = new LinkedHashMap<>();
            Map<String, Map<Integer, Stats>> collisionStats = new LinkedHashMap<>();
            libraries.forEach((name, caller) -> {
                Map<Integer, Runnable> calls = new LinkedHashMap<>();
                Map<Integer, Stats> stats = new LinkedHashMap<>();
                for (int batch : BATCHES) {
                    calls.put(batch, collisionCall(check, caller, batch, sizes.get(name)));
                    stats.put(batch, new Stats());
                }
                // the 500-name batch's one statement alone, with the arguments the use case gives it
                calls.put(-500, statementCall(lookup, caller, 500, sizes.get(name)));
                stats.put(-500, new Stats());
                collisionCalls.put(name, calls);
                collisionStats.put(name, stats);
            });
            Caller largest = libraries.get(String.format("%,d images, 1 user", LIBRARIES[LIBRARIES.length - 1]));
            Runnable[] pageCalls = new Runnable[DEPTHS.length];
            Stats[] depthStats = new Stats[DEPTHS.length];
            for (int i = 0; i < DEPTHS.length; i++) {
                pageCalls[i] = pageCall(fetch, largest, DEPTHS[i]);
                depthStats[i] = new Stats();
            }
            // In-run baseline of the machine's speed: one trivial round trip to the same server on one open connection.
            Connection baselineConnection = TestDatabase.dataSource().getConnection();
            java.sql.PreparedStatement selectOne = baselineConnection.prepareStatement("select 1");
            Runnable roundTrip = () -> {
                try (ResultSet rs = selectOne.executeQuery()) {
                    rs.next();
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            };
            Stats roundTrips = new Stats();
            // one warm-up of everything, so that the JIT has compiled the paths before the first measured round
            for (int w = 0; w < 3; w++) {
                collisionCalls.values().forEach(calls -> calls.forEach((batch, call) -> CollisionSuite.warmUp(Math.abs(batch) >= 500 ? 10 : 40, call)));
                for (Runnable call : pageCalls) {
                    CollisionSuite.warmUp(40, call);
                }
            }
            for (int round = 0; round < ROUNDS; round++) {
                collisionCalls.forEach((name, calls) -> calls.forEach((batch, call) -> {
                    Stats s = collisionStats.get(name).get(batch);
                    for (int i = 0; i < (Math.abs(batch) >= 500 ? 5 : 15); i++) {
                        s.add(CollisionSuite.timeOnce(call));
                    }
                }));
                for (int i = 0; i < DEPTHS.length; i++) {
                    for (int k = 0; k < 15; k++) {
                        depthStats[i].add(CollisionSuite.timeOnce(pageCalls[i]));
                    }
                }
                for (int k = 0; k < 15; k++) {
                    roundTrips.add(CollisionSuite.timeOnce(roundTrip));
                }
            }
            selectOne.close();
            baselineConnection.close();
            TestDatabase.execute("truncate images cascade");

            System.out.printf("%nCollision check (CheckCollisions in process: its one SQL statement, suggestions, answer),"
                    + " half the names taken, a quarter with a SHA-256%n");
            System.out.printf("%-36s %6s %10s %10s %8s%n", "library", "names", "p50", "p99", "samples");
            Map<Integer, List<double[]>> byBatch = new LinkedHashMap<>();
            collisionStats.forEach((name, stats) -> stats.forEach((batch, s) -> {
                System.out.printf("%-36s %6s %7.2f ms %7.2f ms %8d%n", name,
                        batch < 0 ? "SQL " + -batch : Integer.toString(batch), s.median(), s.p99(), s.count());
                if (name.endsWith("1 user") && batch > 0) {
                    byBatch.computeIfAbsent(batch, b -> new ArrayList<>()).add(new double[]{sizes.get(name), s.median()});
                }
            }));
            List<double[]> five = byBatch.get(500);
            double p50At1M = five.get(five.size() - 1)[1];
            double growth = p50At1M / five.get(0)[1];
            System.out.printf("%-36s %6s %7.2f ms %7.2f ms %8d%n", "in-run baseline: select 1 round trip", "-",
                    roundTrips.median(), roundTrips.p99(), roundTrips.count());
            System.out.println("SQL 500: the 500-name batch's one statement alone (CollisionLookup.find, rows mapped), the rest of"
                    + " the use case being name parsing, suggestions and the answer");
            System.out.printf("Targets: 500 names at 1 M images p50 ≤ 10 ms: %.2f ms (%.0f round trips), %s; growth 10 k → 1 M"
                            + " ≤ 2×: %.2fx, %s%n", p50At1M, p50At1M / roundTrips.median(), p50At1M <= 10 ? "met" : "not met",
                    growth, growth <= 2 ? "met" : "not met");

            System.out.printf("%nList page (FetchImages.list, %d per page, keyset cursor) in a library of %,d images%n", PAGE,
                    LIBRARIES[LIBRARIES.length - 1]);
            System.out.printf("%-14s %10s %10s %12s%n", "page depth", "p50", "p99", "÷ depth 1");
            for (int i = 0; i < DEPTHS.length; i++) {
                System.out.printf("%,-14d %7.2f ms %7.2f ms %11.2fx%n", DEPTHS[i], depthStats[i].median(), depthStats[i].p99(),
                        depthStats[i].median() / depthStats[0].median());
            }
            double deep = depthStats[DEPTHS.length - 1].median() / depthStats[0].median();
            System.out.printf("Target: depth 10,000 p50 ≤ 1.2 × depth 1: %.2fx, %s%n", deep, deep <= 1.2 ? "met" : "not met");

            purge(env.caller.userId());

            Map<String, double[][]> collisionChart = new LinkedHashMap<>();
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
                    "p50 per page (ms)", Map.of("FetchImages.list (GET /images), 100 a page", depthPoints))));
        }
    }

    private static Caller caller(AdministerAccounts admin, AuthenticateCaller authenticate, String name) {
        admin.findOrCreateUser(name);
        return authenticate.authenticate(null, admin.createKey(name, "bench").key());
    }

    /** Live images img-(from+1).jpg … img-to.jpg of one user, as the API would have stored them. */
    private static void seed(UUID user, int from, int to) {
        TestDatabase.execute("""
                insert into images (id, user_id, filename, collision_key, status, size_bytes, sha256, content_type, object_name)
                select gen_random_uuid(), '%s', 'img-' || g || '.jpg', 'img-' || g || '.jpg', 'LIVE', 1000,
                       sha256(('%s:' || g)::bytea), 'image/jpeg', 'users/%s/images/' || g
                from generate_series(%d, %d) g""".formatted(user, user, user, from + 1, to));
    }

    /** Checking {@code batch} names, half of them taken (spread across the library), a quarter with a SHA-256. */
    private static Runnable collisionCall(CheckCollisions check, Caller caller, int batch, int library) {
        List<CheckCollisions.Item> items = new ArrayList<>();
        for (int i = 1; i <= batch; i++) {
            long n = Math.max(1, (long) i * library / batch);
            String name = i % 2 == 0 || batch == 1 ? "IMG-" + n + ".JPG" : "new-" + i + ".jpg";
            items.add(new CheckCollisions.Item(name, i % 4 == 0 ? HexFormat.of().formatHex(new byte[32]) : null));
        }
        return () -> {
            List<CheckCollisions.Result> results = check.check(caller, items);
            if (results.size() != batch) {
                throw new IllegalStateException("collision check answered " + results.size() + " of " + batch);
            }
        };
    }

    /** The one statement of {@link #collisionCall}'s batch, with the keys, hashes and copy ranges the use case passes. */
    private static Runnable statementCall(CollisionLookup lookup, Caller caller, int batch, int library) {
        List<String> keys = new ArrayList<>();
        List<byte[]> shas = new ArrayList<>();
        Set<String> copyPrefixes = new java.util.LinkedHashSet<>();
        for (int i = 1; i <= batch; i++) {
            long n = Math.max(1, (long) i * library / batch);
            Filename name = Filename.parse(i % 2 == 0 || batch == 1 ? "IMG-" + n + ".JPG" : "new-" + i + ".jpg");
            keys.add(name.collisionKey());
            copyPrefixes.add(NameSuggestions.copyKeyPrefix(name));
            if (i % 4 == 0) {
                shas.add(new byte[32]);
            }
        }
        return () -> lookup.find(caller.userId(), keys, shas, copyPrefixes);
    }

    /** The page at {@code depth} (1 = the first page) of the caller's library, reached through its cursor. */
    private static Runnable pageCall(FetchImages fetch, Caller caller, int depth) throws Exception {
        String cursor = null;
        if (depth > 1) {
            try (Connection c = TestDatabase.dataSource().getConnection();
                 PreparedStatement st = c.prepareStatement("select collision_key, id from images where user_id = ? and status = 'LIVE'"
                         + " order by collision_key collate \"C\", id offset ? limit 1")) {
                st.setObject(1, caller.userId());
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
        return () -> {
            FetchImages.Page page = fetch.list(caller, null, Integer.toString(PAGE), at);
            if (page.items().size() != PAGE) {
                throw new IllegalStateException("page " + depth + " held " + page.items().size() + " images");
            }
        };
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
}
