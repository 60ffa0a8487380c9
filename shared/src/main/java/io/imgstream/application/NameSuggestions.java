package io.imgstream.application;

import io.imgstream.application.port.ImageCatalog;
import io.imgstream.domain.Filename;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * The rename rule in one place: the first free {@code name (n).ext}. Upload's {@code onConflict=rename} and
 * collision-check's {@code suggestedName} both use it, so a suggestion is exactly what a rename would pick.
 */
@Singleton
public class NameSuggestions {

    static final int PROBE = 50;

    private final ImageCatalog catalog;

    public NameSuggestions(ImageCatalog catalog) {
        this.catalog = catalog;
    }

    /** The first {@code name (n)} with n ≥ 1 that no live image of this user holds now. */
    public Filename firstFreeCopy(UUID userId, Filename name) {
        for (int from = 1; ; from += PROBE) {
            List<Filename> candidates = candidates(name, from);
            Set<String> taken = catalog.liveKeysAmong(userId, candidates.stream().map(Filename::collisionKey).toList());
            for (Filename candidate : candidates) {
                if (!taken.contains(candidate.collisionKey())) {
                    return candidate;
                }
            }
        }
    }

    /** {@code name (from)} … {@code name (from + PROBE - 1)}. */
    public static List<Filename> candidates(Filename name, int from) {
        return IntStream.range(from, from + PROBE).mapToObj(name::withCopyNumber).toList();
    }
}
