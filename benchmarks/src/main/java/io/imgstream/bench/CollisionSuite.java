package io.imgstream.bench;

import io.imgstream.application.NameSuggestions;
import io.imgstream.application.collisioncheck.CheckCollisions;
import io.imgstream.application.port.CollisionLookup;
import io.imgstream.application.port.ImageCatalog;
import io.imgstream.domain.Filename;
import io.imgstream.dev.TestDatabase;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Collision check at scale: 1 M images across 1 k users in the embedded PostgreSQL, 500-name batches for one
 * user, next to a naive one-query-per-name loop in the same run: the function call over HTTP (the collision-check
 * function under the invoker, one keep-alive connection), the use case in process, and its one SQL statement alone.
 */
final class CollisionSuite {

    /** Rounds of measurement; each times {@link #PER_ROUND} batches of each kind, then one naive and one key-only loop. */
    static final int ROUNDS = 30;
    static final int PER_ROUND = 15;

    static void run(Path root, JvmOptions jvm) throws Exception {
        try (BenchEnvironment env = new BenchEnvironment(Map.of())) {
            long t0 = System.nanoTime();
            TestDatabase.execute("insert into users (id, name) select gen_random_uuid(), 'u' || g from generate_series(1, 999) g");
            TestDatabase.execute("""
                    insert into images (id, user_id, filename, collision_key, status, size_bytes, sha256, content_type, object_name)
                    select gen_random_uuid(), u.id, 'img-' || g || '.jpg', 'img-' || g || '.jpg', 'LIVE', 1000,
                           sha256((u.name || ':' || g)::bytea), 'image/jpeg', 'users/' || u.id || '/images/' || g
                    from users u cross join generate_series(1, 1000) g""");
            TestDatabase.execute("analyze images");
            System.out.printf("%nCollision check: seeded %,d images across %,d users in %.0f s%n",
                    TestDatabase.count("select count(*) from images"), TestDatabase.count("select count(*) from users"),
                    (System.nanoTime() - t0) / 1e9);

            List<CheckCollisions.Item> items = new ArrayList<>();
            for (int i = 1; i <= 500; i++) {
                String name = i % 2 == 0 ? "IMG-" + i + ".JPG" : "new-" + i + ".jpg";
                items.add(new CheckCollisions.Item(name, i % 4 == 0 ? HexFormat.of().formatHex(new byte[32]) : null));
            }
            CheckCollisions check = env.context.getBean(CheckCollisions.class);
            CollisionLookup lookup = env.context.getBean(CollisionLookup.class);
            ImageCatalog catalog = env.context.getBean(ImageCatalog.class);
            List<String> keys = items.stream().map(i -> Filename.parse(i.filename()).collisionKey()).toList();

            // the statement with the arguments the use case gives it: every key, every sha256, the copy range of every name
            List<byte[]> shas = items.stream().filter(i -> i.sha256() != null).map(i -> new byte[32]).toList();
            Set<String> scans = keys.stream().map(k -> NameSuggestions.copyKeyPrefix(Filename.parse(k)))
                    .collect(Collectors.toSet());
            Runnable useCaseCall = () -> check.check(env.caller, items);
            Runnable sqlCall = () -> lookup.find(env.caller.userId(), keys, shas, scans);
            // The naive loop: one query per name giving that name's whole answer (the same statement with one key,
            // its sha256 and its copy range), i.e. what a per-name implementation must ask to answer the same.
            Runnable naiveLoop = () -> {
                for (int i = 0; i < items.size(); i++) {
                    String key = keys.get(i);
                    lookup.find(env.caller.userId(), List.of(key),
                            items.get(i).sha256() == null ? List.of() : List.of(new byte[32]),
                            List.of(NameSuggestions.copyKeyPrefix(Filename.parse(key))));
                }
            };
            // A lower bound no per-name implementation can beat: only "is this name taken?", nothing else.
            Runnable keyOnlyLoop = () -> keys.forEach(k -> catalog.findLiveByKey(env.caller.userId(), k));
            Stats useCase = new Stats();
            Stats sqlAlone = new Stats();
            Stats naive = new Stats();
            Stats keyOnly = new Stats();
            Stats http = new Stats();
            Stats pairedRatio = new Stats();
            try (FunctionProcess p = FunctionProcess.start(
                    root.resolve("functions/collision-check/target/imgstream-collision-check-function.jar").toString(),
                    "io.imgstream.web.ImgStreamHttpFunction", jvm.forFunction("collision-check"), env.functionEnv())) {
                p.until(HttpRequest.newBuilder(p.uri("/health")), Duration.ofMinutes(1));
                Runnable httpCall = httpCall(p, env, items);
                warmUp(30, useCaseCall);
                warmUp(30, sqlCall);
                warmUp(100, httpCall);
                warmUp(3, naiveLoop);
                warmUp(3, keyOnlyLoop);
                // Rounds, each measuring everything in turn, so that drift in the machine's speed (phases of seconds on
                // this kind of VM) hits the batch and the loop alike; the paired ratio compares each loop with the
                // batches of its own round.
                for (int round = 0; round < ROUNDS; round++) {
                    Stats sqlThisRound = new Stats();
                    // each kind in a row, warm, as the naive loop's 500 queries run in a row
                    for (int i = 0; i < PER_ROUND; i++) {
                        double ms = timeOnce(sqlCall);
                        sqlAlone.add(ms);
                        sqlThisRound.add(ms);
                    }
                    for (int i = 0; i < PER_ROUND; i++) {
                        useCase.add(timeOnce(useCaseCall));
                    }
                    for (int i = 0; i < PER_ROUND; i++) {
                        http.add(timeOnce(httpCall));
                    }
                    double loop = timeOnce(naiveLoop);
                    naive.add(loop);
                    keyOnly.add(timeOnce(keyOnlyLoop));
                    pairedRatio.add(loop / sqlThisRound.median());
                }
            }
            System.out.printf("%-50s %10s %10s%n", "500-name batch (user with 1,000 images)", "p50", "p99");
            System.out.printf("%-50s %8.2f ms %8.2f ms%n", "POST /collision-check over HTTP (the function call)",
                    http.median(), http.p99());
            System.out.printf("%-50s %8.2f ms %8.2f ms%n", "CheckCollisions (whole use case, in process)", useCase.median(), useCase.p99());
            System.out.printf("%-50s %8.2f ms %8.2f ms%n", "its one SQL statement alone", sqlAlone.median(), sqlAlone.p99());
            System.out.printf("%-50s %8.2f ms %8.2f ms%n", "naive loop: the same answer, one query per name", naive.median(), naive.p99());
            System.out.printf("%-50s %8.2f ms %8.2f ms%n", "lower bound: key lookup only, one per name", keyOnly.median(), keyOnly.p99());
            System.out.printf("ratio: naive ÷ SQL = %.1fx, naive ÷ use case = %.1fx, naive ÷ HTTP call = %.1fx (p50); "
                    + "key-only loop ÷ SQL = %.1fx%n", naive.median() / sqlAlone.median(), naive.median() / useCase.median(),
                    naive.median() / http.median(), keyOnly.median() / sqlAlone.median());
            System.out.printf("paired: naive loop ÷ p50 of the SQL batches of its own round, over %d rounds of %d batches: "
                    + "median %.1fx (min %.1fx, max %.1fx)%n", ROUNDS, PER_ROUND, pairedRatio.median(), pairedRatio.min(),
                    pairedRatio.max());
            TestDatabase.truncateAll();
        }
    }

    /**
     * The same 500 items as a JSON body to the collision-check function in its own JVM (the Terraform JVM options),
     * one keep-alive connection; every answer must be a 200 that answers the last item.
     */
    private static Runnable httpCall(FunctionProcess p, BenchEnvironment env, List<CheckCollisions.Item> items) {
        StringBuilder body = new StringBuilder("{\"files\":[");
        for (int i = 0; i < items.size(); i++) {
            CheckCollisions.Item item = items.get(i);
            body.append(i == 0 ? "" : ",").append("{\"filename\":\"").append(item.filename()).append('"');
            if (item.sha256() != null) {
                body.append(",\"sha256\":\"").append(item.sha256()).append('"');
            }
            body.append('}');
        }
        body.append("]}");
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(p.uri("/collision-check"))
                .header("Authorization", "Bearer " + env.key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        return () -> {
            try {
                HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200 || !r.body().contains("\"new-499.jpg\"")) {
                    throw new IllegalStateException("collision check answered " + r.statusCode() + ": " + r.body());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        };
    }

    static double timeOnce(Runnable work) {
        long t = System.nanoTime();
        work.run();
        return (System.nanoTime() - t) / 1e6;
    }

    static void warmUp(int times, Runnable work) {
        for (int i = 0; i < times; i++) {
            work.run();
        }
    }
}
