package io.imgstream.domain;

import java.util.Locale;

/** What an upload does when a live image of the same collision key exists. */
public enum ConflictPolicy {
    /** 409 {@code filename_conflict} with the existing image (the default). */
    REJECT,
    /** The existing image keeps its id and gets the new bytes; its version goes up by one. */
    OVERWRITE,
    /** Stored as {@code name (1).ext}, {@code name (2).ext}…, the first free name. */
    RENAME,
    /** Nothing is stored; the existing image is returned. */
    SKIP;

    /** Parses {@code ?onConflict=}; absent means {@link #REJECT}. */
    public static ConflictPolicy parse(String value) {
        if (value == null || value.isEmpty()) {
            return REJECT;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ImgStreamException(ErrorCode.INVALID_PARAMETER,
                    "onConflict must be one of reject, overwrite, rename, skip.");
        }
    }
}
