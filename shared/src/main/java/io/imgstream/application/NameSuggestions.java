package io.imgstream.application;

import io.imgstream.application.port.ImageCatalog;
import io.imgstream.domain.Filename;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.IntStream;

/**
 * The rename rule in one place: the first free {@code name (n).ext}. Upload's {@code onConflict=rename} and
 * collision-check's {@code suggestedName} both use it, so a suggestion is exactly what a rename would pick.
 */
@Singleton
public class NameSuggestions {

    static final int PROBE = 50;

    /** The highest copy number a {@link #copyKeyPrefix} is promised for; far beyond any real folder's repeats. */
    static final int FAR_COPY = 999_999;

    private final ImageCatalog catalog;

    public NameSuggestions(ImageCatalog catalog) {
        this.catalog = catalog;
    }

    /** The first {@code name (n)} with n ≥ 1 that no live image of this user holds now. */
    public Filename firstFreeCopy(UUID userId, Filename name) {
        return firstFreeCopy(userId, name, Set.of());
    }

    /** Like {@link #firstFreeCopy(UUID, Filename)}, also skipping the collision keys in {@code alsoTaken}. */
    public Filename firstFreeCopy(UUID userId, Filename name, Set<String> alsoTaken) {
        for (int from = 1; ; from += PROBE) {
            List<Filename> candidates = candidates(name, from);
            Set<String> live = catalog.liveKeysAmong(userId, candidates.stream().map(Filename::collisionKey).toList());
            Filename free = firstFree(candidates, key -> live.contains(key) || alsoTaken.contains(key));
            if (free != null) {
                return free;
            }
        }
    }

    /**
     * The first {@code name (n)} with n ≥ 1 whose collision key {@code taken} does not hold, one candidate at a time
     * (the first is usually free): for a caller that already knows every taken copy.
     */
    public static Filename firstFreeCopy(Filename name, Predicate<String> taken) {
        for (int n = 1; ; n++) {
            Filename candidate = name.withCopyNumber(n);
            if (!taken.test(candidate.collisionKey())) {
                return candidate;
            }
        }
    }

    /** The rule itself: the first candidate whose collision key is not taken, or null. */
    private static Filename firstFree(List<Filename> candidates, Predicate<String> taken) {
        for (Filename candidate : candidates) {
            if (!taken.test(candidate.collisionKey())) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * The collision-key range all copies {@code name (n)} of a name fall into (they share the stem and
     * " ("), so one index range scan finds every taken copy; null when the name is so long that copies
     * shorten its stem (then {@link #firstFreeCopy} probes instead).
     */
    public static String copyKeyPrefix(Filename name) {
        Filename first = name.withCopyNumber(1);
        String prefix = first.collisionKey().substring(0, first.collisionKey().lastIndexOf(" (1)") + 2);
        if (name.hasRoomForCopyNumber(FAR_COPY)) {
            return prefix; // every copy keeps the stem, so every copy's key starts with the first one's prefix
        }
        return name.withCopyNumber(FAR_COPY).collisionKey().startsWith(prefix) ? prefix : null;
    }

    /** {@code name (from)} … {@code name (from + PROBE - 1)}. */
    public static List<Filename> candidates(Filename name, int from) {
        return IntStream.range(from, from + PROBE).mapToObj(name::withCopyNumber).toList();
    }
}
