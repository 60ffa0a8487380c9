package io.imgstream.application.fetch;

import java.util.UUID;

/** The list cursor of a position, for the scaling benchmark's deep pages (the encoding is package-private). */
public final class BenchCursor {

    private BenchCursor() {
    }

    public static String after(String collisionKey, UUID id) {
        return FetchImages.encodeCursor(collisionKey, id);
    }
}
