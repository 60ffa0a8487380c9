package io.imgstream.domain;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

/**
 * The accepted image formats, recognised by their magic bytes whatever the client declares. SVG (a
 * document that can carry script) and everything else is refused.
 *
 * <p>A signature alone is not enough: the structure that must follow it in every valid file (PNG's IHDR
 * chunk, a JPEG marker, WebP's first VP8 chunk, a BMP info header, a TIFF directory offset, GIF's screen
 * descriptor) must be there too, so a script behind eight bytes of PNG signature is not an image.
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
    /** BITMAPCOREHEADER, OS/2 v2 (16, 64), BITMAPINFOHEADER, v2, v3, v4, v5. */
    private static final Set<Long> BMP_INFO_HEADER_SIZES = Set.of(12L, 16L, 40L, 52L, 56L, 64L, 108L, 124L);

    private final String contentType;

    ImageFormat(String contentType) {
        this.contentType = contentType;
    }

    public String contentType() {
        return contentType;
    }

    /** The format stored under {@code contentType} (what upload recorded from the bytes). */
    public static Optional<ImageFormat> fromContentType(String contentType) {
        for (ImageFormat format : values()) {
            if (format.contentType.equals(contentType)) {
                return Optional.of(format);
            }
        }
        return Optional.empty();
    }

    /** The format of {@code header} (the first bytes of a file; fewer than {@link #SNIFF_BYTES} if it is shorter). */
    public static Optional<ImageFormat> detect(byte[] header, int length) {
        if (starts(header, length, 0xFF, 0xD8, 0xFF)) {
            // SOI, then the first segment's marker: APPn, DQT, DHT, SOFn, COM… (0xC0..0xFE)
            return length >= 4 && (header[3] & 0xFF) >= 0xC0 && (header[3] & 0xFF) <= 0xFE
                    ? Optional.of(JPEG) : Optional.empty();
        }
        if (starts(header, length, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            // the first chunk is always IHDR, 13 bytes long
            return bigEndianInt(header, length, 8) == 13 && ascii(header, length, 12, "IHDR")
                    ? Optional.of(PNG) : Optional.empty();
        }
        if (ascii(header, length, 0, "GIF87a") || ascii(header, length, 0, "GIF89a")) {
            return length >= 13 ? Optional.of(GIF) : Optional.empty(); // header + logical screen descriptor
        }
        if (ascii(header, length, 0, "RIFF") && ascii(header, length, 8, "WEBP")) {
            return ascii(header, length, 12, "VP8 ") || ascii(header, length, 12, "VP8L") || ascii(header, length, 12, "VP8X")
                    ? Optional.of(WEBP) : Optional.empty();
        }
        if (starts(header, length, 'I', 'I', 0x2A, 0x00) || starts(header, length, 'M', 'M', 0x00, 0x2A)) {
            long ifd = header[0] == 'I' ? littleEndianInt(header, length, 4) : bigEndianInt(header, length, 4);
            return ifd >= 8 ? Optional.of(TIFF) : Optional.empty();
        }
        if (ascii(header, length, 0, "BM") && length >= 26) {
            return BMP_INFO_HEADER_SIZES.contains(littleEndianInt(header, length, 14)) ? Optional.of(BMP) : Optional.empty();
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

    /** The unsigned 32-bit value at {@code offset}, or -1 when the header is shorter. */
    private static long bigEndianInt(byte[] b, int length, int offset) {
        if (length < offset + 4) {
            return -1;
        }
        return ((long) (b[offset] & 0xFF) << 24) | ((b[offset + 1] & 0xFF) << 16) | ((b[offset + 2] & 0xFF) << 8)
                | (b[offset + 3] & 0xFF);
    }

    private static long littleEndianInt(byte[] b, int length, int offset) {
        if (length < offset + 4) {
            return -1;
        }
        return ((long) (b[offset + 3] & 0xFF) << 24) | ((b[offset + 2] & 0xFF) << 16) | ((b[offset + 1] & 0xFF) << 8)
                | (b[offset] & 0xFF);
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
