package io.imgstream.domain;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;

/**
 * A validated image filename: a base name of at most 255 UTF-8 bytes in NFC form.
 *
 * <p>Two filenames collide when their {@link #collisionKey()} is equal: the NFC form lower-cased with
 * {@link Locale#ROOT}, so {@code IMG_1.JPG}, {@code img_1.jpg} and an NFD-encoded {@code é} collide, as
 * they would on a macOS or Windows disk.
 *
 * @param display      the name as stored and shown (NFC)
 * @param collisionKey the key under which at most one live image per user may exist
 */
public record Filename(String display, String collisionKey) {

    public static final int MAX_BYTES = 255;

    public Filename {
        if (display == null || collisionKey == null) {
            throw new IllegalArgumentException("filename parts must not be null");
        }
    }

    /**
     * Validates and normalises a client-supplied name.
     *
     * @throws ImgStreamException with {@link ErrorCode#INVALID_FILENAME} when the name is not an acceptable base name
     */
    public static Filename parse(String raw) {
        String problem = problemWith(raw);
        if (problem != null) {
            throw new ImgStreamException(ErrorCode.INVALID_FILENAME, problem);
        }
        String nfc = Normalizer.normalize(raw, Normalizer.Form.NFC);
        return new Filename(nfc, keyOf(nfc));
    }

    /** The collision-key form of a name prefix (for listing by prefix): NFC, lower-cased. */
    public static String prefixKey(String prefix) {
        return keyOf(Normalizer.normalize(prefix, Normalizer.Form.NFC));
    }

    /** Like {@link #parse(String)}, but null instead of an exception for a name that is not acceptable. */
    public static Filename parseOrNull(String raw) {
        if (problemWith(raw) != null) {
            return null;
        }
        String nfc = Normalizer.normalize(raw, Normalizer.Form.NFC);
        return new Filename(nfc, keyOf(nfc));
    }

    /** Whether {@code raw} would be accepted by {@link #parse(String)}. */
    public static boolean isValid(String raw) {
        return problemWith(raw) == null;
    }

    /** The collision key of an already valid name; lower-casing can change the length, never validity. */
    static String keyOf(String nfc) {
        return Normalizer.normalize(nfc.toLowerCase(Locale.ROOT), Normalizer.Form.NFC);
    }

    /**
     * The name {@code onConflict=rename} gives the {@code n}-th alternative: {@code name (n).ext}. The
     * extension is the part after the last dot, unless the dot starts the name ({@code .profile (1)}).
     * When the result would exceed 255 bytes, the stem is shortened on a code-point boundary.
     */
    public Filename withCopyNumber(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("copy number starts at 1");
        }
        int dot = display.lastIndexOf('.');
        String stem = dot > 0 ? display.substring(0, dot) : display;
        String extension = dot > 0 ? display.substring(dot) : "";
        String suffix = " (" + n + ")" + extension;
        int budget = MAX_BYTES - utf8Length(suffix);
        while (utf8Length(stem) > budget) {
            stem = stem.substring(0, stem.offsetByCodePoints(stem.length(), -1));
        }
        String candidate = Normalizer.normalize(stem + suffix, Normalizer.Form.NFC);
        return new Filename(candidate, keyOf(candidate));
    }

    /** Whether {@link #withCopyNumber} keeps the whole stem for every copy number up to {@code n}. */
    public boolean hasRoomForCopyNumber(int n) {
        return utf8Length(display) + utf8Length(" (" + n + ")") <= MAX_BYTES;
    }

    private static String problemWith(String raw) {
        if (raw == null || raw.isEmpty()) {
            return "A filename is required.";
        }
        String nfc = Normalizer.normalize(raw, Normalizer.Form.NFC);
        if (utf8Length(nfc) > MAX_BYTES) {
            return "A filename may hold at most " + MAX_BYTES + " bytes of UTF-8.";
        }
        if (nfc.equals(".") || nfc.equals("..")) {
            return "'.' and '..' are not filenames.";
        }
        if (nfc.isBlank()) {
            return "A filename must not be blank.";
        }
        for (int i = 0; i < nfc.length(); ) {
            int cp = nfc.codePointAt(i);
            if (cp == '/' || cp == '\\') {
                return "A filename must be a base name, without '/' or '\\'.";
            }
            if (Character.isISOControl(cp)) {
                return "A filename must not contain control characters.";
            }
            if (isBidiControl(cp)) {
                return "A filename must not contain bidirectional override characters.";
            }
            // A lone surrogate cannot be encoded; U+FFFD is what a lenient decoder made of bytes that were not UTF-8.
            if (Character.getType(cp) == Character.SURROGATE || cp == 0xFFFD) {
                return "A filename must be valid UTF-8.";
            }
            i += Character.charCount(cp);
        }
        return null;
    }

    private static boolean isBidiControl(int cp) {
        return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E || cp == 0x200F
                || cp == 0x061C;
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    @Override
    public String toString() {
        return display;
    }
}
