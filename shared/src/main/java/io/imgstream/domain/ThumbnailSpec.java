package io.imgstream.domain;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a thumbnail request asks for: the bounding size, how the image fits it, and the output type ({@code null}: JPEG
 * for an opaque source, PNG for one with alpha).
 */
public record ThumbnailSpec(int size, Fit fit, Output format) {

    /** {@code inside}: the longest edge scaled down to the size; {@code cover}: a centred square of that side. */
    public enum Fit {
        INSIDE, COVER
    }

    public enum Output {
        JPEG("image/jpeg"), PNG("image/png");

        private final String contentType;

        Output(String contentType) {
            this.contentType = contentType;
        }

        public String contentType() {
            return contentType;
        }
    }

    /** The sizes served when {@code THUMBNAIL_SIZES} is not set, and the size of a request that names none. */
    public static final List<Integer> DEFAULT_SIZES = List.of(160, 320, 640, 1280, 2048);
    public static final int DEFAULT_SIZE = 320;

    /**
     * The spec of a request's parameters, each given at most once ({@code null} when absent).
     *
     * @param sizes the configured sizes; a size outside them is refused, so the cache holds a bounded set per image
     * @throws ImgStreamException {@code invalid_parameter} naming the allowed values
     */
    public static ThumbnailSpec parse(String size, String fit, String format, List<Integer> sizes) {
        int defaultSize = sizes.contains(DEFAULT_SIZE) ? DEFAULT_SIZE : sizes.get(0);
        int n = defaultSize;
        if (size != null) {
            n = -1;
            if (size.matches("[0-9]{1,5}")) {
                n = Integer.parseInt(size);
            }
            if (!sizes.contains(n)) {
                throw invalid("size must be one of " + sizes.stream().map(String::valueOf).collect(Collectors.joining(", "))
                        + " (default " + defaultSize + "); it is '" + size + "'.");
            }
        }
        Fit f = Fit.INSIDE;
        if (fit != null) {
            f = switch (fit.toLowerCase(Locale.ROOT)) {
                case "inside" -> Fit.INSIDE;
                case "cover" -> Fit.COVER;
                default -> throw invalid("fit must be inside (default) or cover; it is '" + fit + "'.");
            };
        }
        Output o = null;
        if (format != null) {
            o = switch (format.toLowerCase(Locale.ROOT)) {
                case "jpeg", "jpg" -> Output.JPEG;
                case "png" -> Output.PNG;
                default -> throw invalid("format must be jpeg or png (default: jpeg for opaque images, png for images "
                        + "with transparency); it is '" + format + "'.");
            };
        }
        return new ThumbnailSpec(n, f, o);
    }

    /**
     * The sizes of {@code THUMBNAIL_SIZES}: a comma-separated list of edges from 16 to 4096.
     *
     * @throws IllegalArgumentException naming the bad entry
     */
    public static List<Integer> parseSizes(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_SIZES;
        }
        List<Integer> sizes = new java.util.ArrayList<>();
        for (String part : value.split(",")) {
            String p = part.trim();
            if (!p.matches("[0-9]{1,4}") || Integer.parseInt(p) < 16 || Integer.parseInt(p) > 4096) {
                throw new IllegalArgumentException("THUMBNAIL_SIZES holds '" + p + "'; each size is a whole number of "
                        + "pixels from 16 to 4096, comma separated (default " + DEFAULT_SIZES.stream().map(String::valueOf)
                        .collect(Collectors.joining(",")) + ")");
            }
            if (!sizes.contains(Integer.parseInt(p))) {
                sizes.add(Integer.parseInt(p));
            }
        }
        return List.copyOf(sizes);
    }

    /** The part of the thumbnail's object name (and ETag) that tells specs apart: {@code 320-inside}, {@code 160-cover-png}. */
    public String key() {
        return size + "-" + fit.name().toLowerCase(Locale.ROOT) + (format == null ? "" : "-" + format.name().toLowerCase(Locale.ROOT));
    }

    private static ImgStreamException invalid(String detail) {
        return new ImgStreamException(ErrorCode.INVALID_PARAMETER, detail);
    }
}
