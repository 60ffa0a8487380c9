package io.imgstream.application.collisioncheck;

import io.imgstream.application.NameSuggestions;
import io.imgstream.application.port.CollisionLookup;
import io.imgstream.config.ImgStreamConfiguration;
import io.imgstream.domain.Caller;
import io.imgstream.domain.ErrorCode;
import io.imgstream.domain.Filename;
import io.imgstream.domain.Image;
import io.imgstream.domain.ImageDetails;
import io.imgstream.domain.ImgStreamException;
import io.imgstream.logging.JsonPayload;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Answers, for a whole folder at once, what uploading each file would do: name and content in one answer,
 * from one SQL statement on indexes. No cache: serverless instances cannot invalidate each other's, and a
 * stale "available" right after another upload is exactly the mistake this service exists to prevent.
 */
@Singleton
public class CheckCollisions {

    private static final Logger LOG = LoggerFactory.getLogger(CheckCollisions.class);

    private final CollisionLookup lookup;
    private final NameSuggestions names;
    private final ImgStreamConfiguration config;
    private final Clock clock;

    public CheckCollisions(CollisionLookup lookup, NameSuggestions names, ImgStreamConfiguration config, Clock clock) {
        this.lookup = lookup;
        this.names = names;
        this.config = config;
        this.clock = clock;
    }

    /** One file to check; {@code sha256} (hex) is optional. */
    public record Item(String filename, String sha256) {
    }

    /** The answer for one item, in request order. */
    public record Result(String filename, Status status, ImageDetails existing, String suggestedName, List<UUID> sameContentAs,
                         String reason) {
    }

    /** What uploading the item would meet. */
    public enum Status {
        AVAILABLE, EXISTS, IDENTICAL, INVALID, DUPLICATE_IN_REQUEST;

        /** The name in the answer's {@code status}: the constant's, in lower case ({@code duplicate_in_request}). */
        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One structured line per batch ({@code jsonPayload.collision_check}: batchSize, micros, results by status), which
     * Terraform's log-based metrics and the dashboard read; no names or hashes, only counts.
     */
    static String summary(List<Result> results, long micros) {
        Map<Status, Integer> counts = new java.util.EnumMap<>(Status.class);
        for (Status s : Status.values()) {
            counts.put(s, 0);
        }
        results.forEach(r -> counts.merge(r.status(), 1, Integer::sum));
        StringBuilder json = new StringBuilder("{\"batchSize\":").append(results.size()).append(",\"micros\":")
                .append(micros).append(",\"results\":{");
        String sep = "";
        for (var e : counts.entrySet()) {
            json.append(sep).append('"').append(e.getKey().wire()).append("\":").append(e.getValue());
            sep = ",";
        }
        return json.append("}}").toString();
    }

    public List<Result> check(Caller caller, List<Item> items) {
        if (items == null || items.isEmpty()) {
            throw new ImgStreamException(ErrorCode.BAD_REQUEST, "Give at least one file to check.");
        }
        if (items.size() > config.collisionDetectionBatchSize()) {
            throw new ImgStreamException(ErrorCode.BATCH_TOO_LARGE, "At most " + config.collisionDetectionBatchSize()
                    + " files per check; this request has " + items.size() + ".");
        }
        long started = System.nanoTime();
        List<Parsed> parsed = new ArrayList<>(items.size());
        Set<String> keys = new HashSet<>();
        List<byte[]> shaList = new ArrayList<>();
        // The copies of every name ("name (n)"), for suggestions; a range scan that finds nothing costs what a
        // point lookup does (measured: limiting scans to taken names gained nothing).
        Set<String> copyPrefixes = new HashSet<>();
        for (Item item : items) {
            Parsed p = Parsed.of(item);
            parsed.add(p);
            if (p.name() != null) {
                keys.add(p.name().collisionKey());
            }
            if (p.sha() != null) {
                shaList.add(p.sha());
            }
            if (p.copyPrefix() != null) {
                copyPrefixes.add(p.copyPrefix());
            }
        }
        CollisionLookup.Matches matches = lookup.find(caller.userId(), keys, shaList, copyPrefixes);
        Map<String, Image> byKey = new HashMap<>();
        Map<ByteBuffer, List<Image>> byContent = new HashMap<>();
        for (Image image : matches.images()) {
            byKey.put(image.collisionKey(), image);
            if (image.sha256() != null) {
                byContent.computeIfAbsent(ByteBuffer.wrap(image.sha256()), k -> new ArrayList<>()).add(image);
            }
        }
        // Names taken now, plus the names earlier items of this request would take when uploaded in order.
        Set<String> taken = new HashSet<>(byKey.keySet());
        matches.takenKeysByCopyPrefix().values().forEach(taken::addAll);
        // A copy range read up to its limit may hold more copies (and the first in byte order are not the lowest
        // numbers): its names are probed like names without a range.
        Set<String> cutOff = new HashSet<>();
        matches.takenKeysByCopyPrefix().forEach((prefix, copies) -> {
            if (copies.size() >= CollisionLookup.MAX_COPIES_PER_NAME) {
                cutOff.add(prefix);
            }
        });
        Set<String> seen = new HashSet<>();
        List<Result> results = new ArrayList<>(items.size());
        for (Parsed p : parsed) {
            results.add(answer(caller, cutOff.contains(p.copyPrefix()) ? p.probed() : p, byKey, byContent, taken, seen));
        }
        long micros = Duration.ofNanos(System.nanoTime() - started).toNanos() / 1000;
        LOG.info("collision check {}", new JsonPayload("collision_check", summary(results, micros)));
        if (config.monitoringEnabled()) {
            record(caller, results, micros);
        }
        return results;
    }

    /**
     * An item as read once: its name (null when not acceptable), its sha256 (null when absent or malformed) and the
     * collision-key prefix of its copies (null for an unacceptable name, one so long that copies shorten it, or one
     * whose copies are too many for the range read).
     */
    private record Parsed(Item item, Filename name, byte[] sha, String copyPrefix) {

        static Parsed of(Item item) {
            Filename name = item == null ? null : Filename.parseOrNull(item.filename());
            byte[] sha = item == null ? null : parseSha(item.sha256());
            return new Parsed(item, name, sha, name == null ? null : NameSuggestions.copyKeyPrefix(name));
        }

        /** The same item with no copy range to trust: its suggestion is probed in the database. */
        Parsed probed() {
            return new Parsed(item, name, sha, null);
        }
    }

    private Result answer(Caller caller, Parsed parsed, Map<String, Image> byKey, Map<ByteBuffer, List<Image>> byContent,
                          Set<String> taken, Set<String> seen) {
        Item item = parsed.item();
        Filename name = parsed.name();
        byte[] sha = parsed.sha();
        String raw = item == null ? null : item.filename();
        if (name == null) {
            return new Result(raw, Status.INVALID, null, null, List.of(), raw == null ? "A filename is required."
                    : invalidReason(raw));
        }
        if (item.sha256() != null && sha == null) {
            return new Result(raw, Status.INVALID, null, null, List.of(), "sha256 must be 64 hexadecimal digits.");
        }
        Image existing = byKey.get(name.collisionKey());
        List<UUID> sameContent = sha == null ? List.of()
                : copies(byContent, sha, img -> !img.collisionKey().equals(name.collisionKey()));
        boolean duplicate = !seen.add(name.collisionKey());
        boolean identical = existing != null && sha != null && Arrays.equals(existing.sha256(), sha);
        String suggestion;
        if (identical) {
            suggestion = existing.filename();
            taken.add(existing.collisionKey());
        } else if (!taken.contains(name.collisionKey())) {
            suggestion = name.display();
            taken.add(name.collisionKey());
        } else {
            Filename copy = suggestCopy(caller, name, parsed.copyPrefix(), taken);
            suggestion = copy.display();
            taken.add(copy.collisionKey());
        }
        Status status = duplicate ? Status.DUPLICATE_IN_REQUEST
                : identical ? Status.IDENTICAL : existing != null ? Status.EXISTS : Status.AVAILABLE;
        return new Result(name.display(), status, existing == null ? null : withCopies(existing, byContent), suggestion,
                sameContent, null);
    }

    /** The order of {@code sameContentAs} everywhere (upload, fetch): oldest first. */
    private static final Comparator<Image> OLDEST_FIRST = Comparator.comparing(Image::createdAt).thenComparing(Image::id);

    /** The existing image as every answer shows it: with its copies, which the statement fetched with it. */
    private static ImageDetails withCopies(Image existing, Map<ByteBuffer, List<Image>> byContent) {
        return new ImageDetails(existing, copies(byContent, existing.sha256(), img -> !img.id().equals(existing.id())));
    }

    /** Ids of the fetched images holding {@code sha} that {@code other} accepts, as {@code sameContentAs} lists them. */
    private static List<UUID> copies(Map<ByteBuffer, List<Image>> byContent, byte[] sha, Predicate<Image> other) {
        return byContent.getOrDefault(ByteBuffer.wrap(sha), List.of()).stream().filter(other).sorted(OLDEST_FIRST)
                .limit(ImageDetails.MAX_SAME_CONTENT).map(Image::id).toList();
    }

    private Filename suggestCopy(Caller caller, Filename name, String copyPrefix, Set<String> taken) {
        if (copyPrefix == null) {
            // very long names (their copies shorten the stem) and names with too many copies: probe, skipping what
            // earlier items of this request take
            return names.firstFreeCopy(caller.userId(), name, taken);
        }
        return NameSuggestions.firstFreeCopy(name, taken::contains); // the range read every taken copy
    }

    private void record(Caller caller, List<Result> results, long micros) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        List<String> detected = new ArrayList<>();
        for (Result r : results) {
            counts.merge(r.status().wire(), 1, Integer::sum);
            if (r.status() == Status.EXISTS || r.status() == Status.IDENTICAL) {
                detected.add(r.filename());
            }
        }
        lookup.record(caller.userId(), counts, detected, micros);
    }

    /** Monitoring of this caller's checks over the last {@code window}. */
    public CollisionLookup.Stats stats(Caller caller, Duration window) {
        return lookup.stats(caller.userId(), clock.instant().minus(window));
    }

    private static String invalidReason(String raw) {
        try {
            Filename.parse(raw);
            return null;
        } catch (ImgStreamException e) {
            return e.detail();
        }
    }

    private static byte[] parseSha(String hex) {
        if (hex == null || hex.length() != 64) {
            return null;
        }
        try {
            return HexFormat.of().parseHex(hex); // either case
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
