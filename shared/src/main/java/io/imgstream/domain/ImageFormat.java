package io.imgstream.domain;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

/**
 * The accepted image formats, recognised by their magic bytes whatever the client declares. SVG (a
 * document that can carry script) and everything else is refused.
 */
public enum ImageFormat {
    JPEG("image/jpeg"),
    PNG("image/png"),
    GIF("image/gif"),
    WEBP("image/webp"),
    HEIC("image/heic"),
    HEIF("image/heif"),
    AVIF("image/avif"),
    TIFF("image/tiff"),
    BMP("image/bmp");

    /** Bytes needed to tell every format apart. */
    public static final int SNIFF_BYTES = 32;

    private static final Set<String> HEIC_BRANDS = Set.of("heic", "heix", "hevc", "hevx", "heim", "heis", "hevm", "hevs");
    private static final Set<String> HEIF_BRANDS = Set.of("mif1", "msf1", "mif2");
    private static final Set<String> AVIF_BRANDS = Set.of("avif", "avis");

    private final String contentType;

    ImageFormat(String contentType) {
        this.contentType = contentType;
    }

    public String contentType() {
        return contentType;
    }

    /** The format of {@code header} (the first bytes of a file; fewer than {@link #SNIFF_BYTES} if it is shorter). */
    public static Optional<ImageFormat> detect(byte[] header, int length) {
        if (starts(header, length, 0xFF, 0xD8, 0xFF)) {
            return Optional.of(JPEG);
        }
        if (starts(header, length, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return Optional.of(PNG);
        }
        if (ascii(header, length, 0, "GIF87a") || ascii(header, length, 0, "GIF89a")) {
            return Optional.of(GIF);
        }
        if (ascii(header, length, 0, "RIFF") && ascii(header, length, 8, "WEBP")) {
            return Optional.of(WEBP);
        }
        if (starts(header, length, 'I', 'I', 0x2A, 0x00) || starts(header, length, 'M', 'M', 0x00, 0x2A)) {
            return Optional.of(TIFF);
        }
        if (ascii(header, length, 0, "BM") && length >= 26) {
            return Optional.of(BMP);
        }
        if (ascii(header, length, 4, "ftyp") && length >= 12) {
            return isoBrand(header, length);
        }
        return Optional.empty();
    }

    /** HEIF family: the major brand, else the first compatible brand we know. */
    private static Optional<ImageFormat> isoBrand(byte[] header, int length) {
        int boxSize = ((header[0] & 0xFF) << 24) | ((header[1] & 0xFF) << 16) | ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
        int end = Math.min(length, Math.max(boxSize, 12));
        for (int offset = 8; offset + 4 <= end; offset += 4) {
            if (offset == 12) {
                continue; // minor version, not a brand
            }
            String brand = new String(header, offset, 4, StandardCharsets.ISO_8859_1);
            if (AVIF_BRANDS.contains(brand)) {
                return Optional.of(AVIF);
            }
            if (HEIC_BRANDS.contains(brand)) {
                return Optional.of(HEIC);
            }
            if (HEIF_BRANDS.contains(brand)) {
                return Optional.of(HEIF);
            }
        }
        return Optional.empty();
    }

    private static boolean starts(byte[] b, int length, int... expected) {
        if (length < expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if ((b[i] & 0xFF) != expected[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean ascii(byte[] b, int length, int offset, String text) {
        if (length < offset + text.length()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (b[offset + i] != (byte) text.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
