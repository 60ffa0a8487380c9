package io.imgstream.application.cleanup;

import io.imgstream.application.PublishEvents;
import io.imgstream.application.port.CleanupStore;
import io.imgstream.application.port.ObjectStorage;
import io.imgstream.application.port.Outbox;
import io.imgstream.logging.JsonPayload;
import io.micronaut.serde.ObjectMapper;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * Reconciles storage and database. Idempotent (Pub/Sub delivers at least once): every step re-checks the
 * row right before deleting an object, treats an object already gone as done, and never deletes an object
 * a live row points to. One run at a time (PostgreSQL advisory lock); a run stops inside its time budget
 * or at {@code maxItems} and the next run continues.
 */
@Singleton
public class RunCleanup {

    private static final Logger LOG = LoggerFactory.getLogger(RunCleanup.class);
    /** Objects of images live under this prefix; nothing else in the bucket is ever touched. */
    public static final String IMAGE_PREFIX = "users/";
    static final int DELETE_CONCURRENCY = 16;

    private final CleanupStore store;
    private final ObjectStorage storage;
    private final Outbox outbox;
    private final PublishEvents events;
    private final CleanupSettings settings;
    private final Clock clock;
    private final ObjectMapper json;
    /** Concurrent object deletes; daemon threads, idle ones time out so an idle function holds none. */
    private final ThreadPoolExecutor deleters = new ThreadPoolExecutor(
            DELETE_CONCURRENCY, DELETE_CONCURRENCY, 30, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "cleanup-delete");
                t.setDaemon(true);
                return t;
            });

    public RunCleanup(CleanupStore store, ObjectStorage storage, Outbox outbox, PublishEvents events,
                      CleanupSettings settings, Clock clock, ObjectMapper json) {
        this.store = store;
        this.storage = storage;
        this.outbox = outbox;
        this.events = events;
        this.settings = settings;
        this.clock = clock;
        this.json = json;
        deleters.allowCoreThreadTimeOut(true);
    }

    public CleanupReport run(CleanupRequest request) {
        Instant started = clock.instant();
        Run run = new Run(request, started.plus(settings.timeBudget()));
        boolean ran = store.withExclusiveLock(() -> {
            for (CleanupTask task : request.tasks()) {
                if (run.exhausted()) {
                    break;
                }
                run.counts.put(task.wireName(), execute(task, run));
            }
        });
        CleanupReport report = new CleanupReport(ran, request.dryRun(), ran && !run.stopped,
                Duration.between(started, clock.instant()).toMillis(), run.counts);
        LOG.info("cleanup summary {}", new JsonPayload("cleanup", toJson(report)));
        return report;
    }

    private long execute(CleanupTask task, Run run) {
        Instant graceCutoff = clock.instant().minus(settings.gracePeriod());
        return switch (task) {
            case STALE_PENDING_UPLOADS -> stalePendingUploads(run, graceCutoff);
            case PURGE_DELETED_IMAGES -> purgeDeletedImages(run);
            case RETIRED_OBJECTS -> retiredObjects(run, graceCutoff);
            case ORPHAN_OBJECTS -> orphanObjects(run, graceCutoff);
            case MONITORING_EVENTS -> store.pruneCollisionEvents(
                    clock.instant().minus(settings.monitoringEventRetention()), run.remaining(),
                    run.request.dryRun());
            case OUTBOX_RELAY -> relayOutbox(run);
            case EXPIRED_UPLOADS -> expiredUploads(run);
        };
    }

    /**
     * Resumable uploads past their expiry: unfinished ones (their name reservation already lapsed with the expiry) and
     * finished ones whose status answer is no longer kept. Per batch the parts of every upload go first (an object
     * already gone counts as done), the rows last, so a run stopped between the two finds them again.
     */
    private long expiredUploads(Run run) {
        long done = 0;
        while (!run.exhausted()) {
            var batch = store.expiredUploads(run.batch());
            if (!run.request.dryRun() && !batch.isEmpty()) {
                for (String prefix : batch.values()) {
                    try (Stream<ObjectStorage.StoredObject> parts = storage.list(prefix)) {
                        deleteObjects(parts.map(ObjectStorage.StoredObject::name).toList());
                    }
                }
                store.forgetUploads(batch.keySet());
            }
            done += batch.size();
            run.took(batch.size());
            if (batch.size() < run.batch() || run.request.dryRun()) {
                break;
            }
        }
        return done;
    }

    private long stalePendingUploads(Run run, Instant cutoff) {
        return inBatches(run, limit -> store.stalePendingUploads(cutoff, limit), name -> name, store::forgetPendingUploads);
    }

    private long purgeDeletedImages(Run run) {
        Instant cutoff = clock.instant().minus(settings.deletedRetention());
        return inBatches(run, limit -> store.deletedImagesBefore(cutoff, limit), CleanupStore.DeletedImage::objectName,
                batch -> store.removeDeletedImages(batch.stream().map(CleanupStore.DeletedImage::imageId).toList()));
    }

    /** Storage deletes are independent network calls on GCS: run them concurrently, bounded. */
    private void deleteObjects(List<String> objectNames) {
        if (objectNames.size() <= 1) {
            objectNames.forEach(storage::delete);
            return;
        }
        List<Callable<Boolean>> deletes = objectNames.stream()
                .<Callable<Boolean>>map(name -> () -> storage.delete(name)).toList();
        try {
            for (var result : deleters.invokeAll(deletes)) {
                result.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while deleting objects", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /**
     * Retired versions after their grace, then the thumbnails of every version that is no longer live (replaced, deleted
     * or purged images): those need no grace, since nothing serves a thumbnail of a version that is not current, and a
     * render still finishing for such a version writes its row after its object, so the next run finds it.
     */
    private long retiredObjects(Run run, Instant cutoff) {
        long done = inBatches(run, limit -> store.retiredObjectsBefore(cutoff, limit), name -> name,
                store::forgetRetiredObjects);
        return done + inBatches(run, store::staleThumbnails, name -> name, store::forgetThumbnails);
    }

    /**
     * Rows naming objects are the to-do markers (pending uploads, soft-deleted images, retired versions): per batch the
     * objects go first (never one a live row points to, checked in one statement), concurrently; an object already gone
     * counts as done; the rows go last in one statement. A run stopped between the two finds the rows again, and deleting
     * an object twice is harmless.
     */
    private <T> long inBatches(Run run, IntFunction<List<T>> next,
                               Function<T, String> objectOf, Consumer<List<T>> forget) {
        long done = 0;
        while (!run.exhausted()) {
            List<T> batch = next.apply(run.batch());
            if (!run.request.dryRun() && !batch.isEmpty()) {
                List<String> objects = batch.stream().map(objectOf).toList();
                Set<String> live = store.liveAmong(objects);
                deleteObjects(objects.stream().filter(o -> !live.contains(o)).toList());
                forget.accept(batch);
            }
            done += batch.size();
            run.took(batch.size());
            if (batch.size() < run.batch() || run.request.dryRun()) {
                break;
            }
        }
        return done;
    }

    private long orphanObjects(Run run, Instant cutoff) {
        // What a killed upload left outside the object names (the filesystem adapter's temporary files) goes first.
        long done = storage.removeUnfinishedWrites(cutoff, run.request.dryRun());
        run.took(done);
        List<ObjectStorage.StoredObject> page = new ArrayList<>();
        try (Stream<ObjectStorage.StoredObject> objects = storage.list(IMAGE_PREFIX)) {
            var it = objects.iterator();
            while (it.hasNext() && !run.exhausted()) {
                ObjectStorage.StoredObject o = it.next();
                if (o.createdAt().isBefore(cutoff)) {
                    page.add(o);
                }
                if (page.size() == run.batch() || !it.hasNext()) {
                    done += deleteUnknown(page, run);
                    page.clear();
                }
            }
        }
        return done;
    }

    private long deleteUnknown(List<ObjectStorage.StoredObject> page, Run run) {
        if (page.isEmpty()) {
            return 0;
        }
        Set<String> known = store.knownObjects(page.stream().map(ObjectStorage.StoredObject::name).toList());
        long done = 0;
        for (ObjectStorage.StoredObject o : page) {
            if (run.exhausted()) {
                break;
            }
            if (!known.contains(o.name())) {
                if (!run.request.dryRun()) {
                    storage.delete(o.name());
                }
                done++;
                run.took(1);
            }
        }
        return done;
    }

    /** Unsent events, oldest first, through the same publish path as after a commit ({@link PublishEvents}). */
    private long relayOutbox(Run run) {
        if (!events.hasTopic()) {
            return 0;
        }
        long done = 0;
        while (!run.exhausted()) {
            List<Outbox.Event> batch = outbox.unsent(run.batch());
            for (Outbox.Event event : batch) {
                if (!run.request.dryRun()) {
                    try {
                        events.publish(event);
                    } catch (PublishEvents.NotPublished e) {
                        // Pub/Sub is down: the rest stays for the next run; the job itself did not fail.
                        LOG.warn("Outbox relay stopped: {}", e.getMessage());
                        return done;
                    }
                }
                done++;
                run.took(1);
            }
            if (batch.size() < run.batch() || run.request.dryRun()) {
                break;
            }
        }
        return done;
    }

    private String toJson(CleanupReport report) {
        try {
            return json.writeValueAsString(report);
        } catch (IOException e) {
            return report.toString();
        }
    }

    /** The state of one run: its budget in time and items. */
    private final class Run {
        final CleanupRequest request;
        final Instant deadline;
        final Map<String, Long> counts = new LinkedHashMap<>();
        long items;
        boolean stopped;

        Run(CleanupRequest request, Instant deadline) {
            this.request = request;
            this.deadline = deadline;
        }

        boolean exhausted() {
            if (items >= request.maxItems() || !clock.instant().isBefore(deadline)) {
                stopped = true;
            }
            return stopped;
        }

        int remaining() {
            return (int) Math.max(0, request.maxItems() - items);
        }

        /** A dry run counts in one query per task what a real run would do in batches. */
        int batch() {
            return Math.max(1, request.dryRun() ? remaining() : Math.min(settings.batchSize(), remaining()));
        }

        void took(long n) {
            items += n;
        }
    }
}
