package io.imgstream.domain;

import java.util.List;
import java.util.UUID;

/**
 * An image with what every answer about it tells: the ids of this user's other live images holding the same
 * bytes (oldest first, at most {@link #MAX_SAME_CONTENT}). Every place that shows an image shows this list, so
 * an empty one always means "no other copy", never "not looked up".
 */
public record ImageDetails(Image image, List<UUID> sameContentAs) {

    /** A user who uploaded one picture a thousand times does not get a thousand ids on every answer. */
    public static final int MAX_SAME_CONTENT = 100;

    public ImageDetails {
        sameContentAs = List.copyOf(sameContentAs);
    }
}
