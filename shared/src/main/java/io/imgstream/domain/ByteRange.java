package io.imgstream.domain;

import java.util.Optional;

/**
 * One byte range of a representation, from an HTTP {@code Range: bytes=…} header (RFC 9110 §14.1.2).
 *
 * @param first the first byte, inclusive
 * @param last  the last byte, inclusive
 */
public record ByteRange(long first, long last) {

    public long length() {
        return last - first + 1;
    }

    public String contentRange(long size) {
        return "bytes " + first + "-" + last + "/" + size;
    }

    /** The range cannot be served for this size: answer 416 with {@code Content-Range: bytes *}{@code /size}. */
    public static final class Unsatisfiable extends RuntimeException {
        public Unsatisfiable() {
            super(null, null, false, false);
        }
    }

    /**
     * Parses a single range. Anything that is not a well-formed single byte range (several ranges, another
     * unit, garbage) is ignored, and the whole representation is served, as RFC 9110 allows.
     *
     * @throws Unsatisfiable when the range is well-formed but starts beyond the end
     */
    public static Optional<ByteRange> parse(String header, long size) {
        if (header == null) {
            return Optional.empty();
        }
        String h = header.trim();
        if (!h.regionMatches(true, 0, "bytes=", 0, 6)) {
            return Optional.empty();
        }
        String spec = h.substring(6).trim();
        if (spec.contains(",")) {
            return Optional.empty();
        }
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return Optional.empty();
        }
        String a = spec.substring(0, dash).trim();
        String b = spec.substring(dash + 1).trim();
        try {
            if (a.isEmpty()) {
                if (b.isEmpty()) {
                    return Optional.empty();
                }
                long suffix = Long.parseLong(b);
                if (suffix < 0) {
                    return Optional.empty();
                }
                if (suffix == 0 || size == 0) {
                    throw new Unsatisfiable();
                }
                return Optional.of(new ByteRange(Math.max(0, size - suffix), size - 1));
            }
            long first = Long.parseLong(a);
            long last = b.isEmpty() ? Long.MAX_VALUE : Long.parseLong(b);
            if (first < 0 || last < first) {
                return Optional.empty();
            }
            if (first >= size) {
                throw new Unsatisfiable();
            }
            return Optional.of(new ByteRange(first, Math.min(last, size - 1)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
