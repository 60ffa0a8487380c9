package io.imgstream.dev;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;

/** Image fixtures built in code: real encoders where the JDK has one, hand-made headers elsewhere. */
public final class TestImages {

    private TestImages() {
    }

    /** A real image of {@code format} ("png", "jpg", "gif", "bmp", "tiff") whose pixels depend on {@code seed}. */
    public static byte[] encoded(String format, int width, int height, int seed) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        var g = image.createGraphics();
        g.setColor(new Color(seed * 7919 & 0xFFFFFF));
        g.fillRect(0, 0, width, height);
        g.setColor(new Color(seed * 104729 & 0xFFFFFF));
        g.fillRect(0, 0, Math.max(1, width / 2), Math.max(1, height / 3));
        g.dispose();
        return write(image, format);
    }

    public static byte[] png(int seed) {
        return encoded("png", 8, 6, seed);
    }

    /** A valid PNG followed by padding up to exactly {@code size} bytes (still a PNG by its bytes). */
    public static byte[] pngOfSize(int size, int seed) {
        byte[] png = png(seed);
        if (png.length > size) {
            throw new IllegalArgumentException("too small a size");
        }
        return Arrays.copyOf(png, size);
    }

    /** A PNG signature and IHDR declaring {@code width}×{@code height}, with a correct CRC, and an IEND. */
    public static byte[] pngHeader(int width, int height) {
        ByteBuffer ihdr = ByteBuffer.allocate(13).order(ByteOrder.BIG_ENDIAN);
        ihdr.putInt(width).putInt(height).put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[]{(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        ByteBuffer len = ByteBuffer.allocate(4).putInt(data.length);
        out.writeBytes(len.array());
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** Top left red, top right green, bottom left blue, bottom right yellow (transparent when {@code alpha}). */
    public static BufferedImage quadrants(int width, int height, boolean alpha) {
        BufferedImage image = new BufferedImage(width, height, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        int hw = Math.max(1, width / 2);
        int hh = Math.max(1, height / 2);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = y < hh ? (x < hw ? 0xFFFF0000 : 0xFF00FF00) : (x < hw ? 0xFF0000FF : (alpha ? 0x00FFFF00 : 0xFFFFFF00));
                image.setRGB(x, y, rgb);
            }
        }
        return image;
    }

    /** A 64×64 two-entry palette image: left half red, right half the palette's transparent entry (blue). */
    public static BufferedImage paletteWithTransparentHalf() {
        byte[] r = {(byte) 255, 0};
        byte[] g = {0, 0};
        byte[] b = {0, (byte) 255};
        BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_BINARY,
                new java.awt.image.IndexColorModel(1, 2, r, g, b, 1));
        for (int y = 0; y < 64; y++) {
            for (int x = 32; x < 64; x++) {
                image.getRaster().setSample(x, y, 0, 1);
            }
        }
        return image;
    }

    /** {@code image} encoded by the JDK's writer of {@code format}. */
    public static byte[] write(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalArgumentException("no encoder for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A {@link #quadrants} JPEG whose EXIF IFD0 declares {@code orientation} (any value, bogus ones too). */
    public static byte[] jpegOriented(int width, int height, int orientation) {
        ByteBuffer tiff = ByteBuffer.allocate(8 + 2 + 12 + 4).order(ByteOrder.BIG_ENDIAN);
        tiff.put((byte) 'M').put((byte) 'M').putShort((short) 0x2A).putInt(8);
        tiff.putShort((short) 1).putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation)
                .putShort((short) 0);
        tiff.putInt(0);
        return withExif(write(quadrants(width, height, false), "jpg"), tiff.array());
    }

    private static byte[] withExif(byte[] jpeg, byte[] tiff) {
        ByteArrayOutputStream app1 = new ByteArrayOutputStream();
        app1.writeBytes("Exif\0\0".getBytes(StandardCharsets.US_ASCII));
        app1.writeBytes(tiff);
        byte[] payload = app1.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0xFF);
        out.write(0xD8);
        out.write(0xFF);
        out.write(0xE1);
        int len = payload.length + 2;
        out.write(len >> 8);
        out.write(len & 0xFF);
        out.writeBytes(payload);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    /** A JPEG whose EXIF says it was taken at {@code dateTimeOriginal} ("yyyy:MM:dd HH:mm:ss"). */
    public static byte[] jpegTakenAt(String dateTimeOriginal, int seed) {
        byte[] jpeg = encoded("jpg", 8, 8, seed);
        byte[] date = (dateTimeOriginal + "\0").getBytes(StandardCharsets.US_ASCII);
        // TIFF header (big endian), IFD0 with one entry: ExifIFD pointer; Exif IFD with DateTimeOriginal.
        ByteBuffer tiff = ByteBuffer.allocate(8 + 2 + 12 + 4 + 2 + 12 + 4 + date.length).order(ByteOrder.BIG_ENDIAN);
        tiff.put((byte) 'M').put((byte) 'M').putShort((short) 0x2A).putInt(8);
        tiff.putShort((short) 1).putShort((short) 0x8769).putShort((short) 4).putInt(1).putInt(26);
        tiff.putInt(0);
        tiff.putShort((short) 1).putShort((short) 0x9003).putShort((short) 2).putInt(date.length).putInt(44);
        tiff.putInt(0);
        tiff.put(date);
        return withExif(jpeg, tiff.array());
    }

    /** A minimal WebP (VP8X) declaring {@code width}×{@code height}. */
    public static byte[] webp(int width, int height) {
        ByteBuffer b = ByteBuffer.allocate(30).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(22).put("WEBP".getBytes(StandardCharsets.US_ASCII));
        b.put("VP8X".getBytes(StandardCharsets.US_ASCII)).putInt(10).put((byte) 0).put(new byte[3]);
        int w = width - 1;
        int h = height - 1;
        b.put((byte) w).put((byte) (w >> 8)).put((byte) (w >> 16));
        b.put((byte) h).put((byte) (h >> 8)).put((byte) (h >> 16));
        return b.array();
    }

    /** An ISO BMFF file type box with {@code brand} ("heic", "mif1", "avif") followed by filler. */
    public static byte[] isoBmff(String brand) {
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.BIG_ENDIAN);
        b.putInt(24).put("ftyp".getBytes(StandardCharsets.US_ASCII)).put(brand.getBytes(StandardCharsets.US_ASCII))
                .putInt(0).put("mif1".getBytes(StandardCharsets.US_ASCII)).put(brand.getBytes(StandardCharsets.US_ASCII));
        return b.array();
    }

    public static final byte[] TEXT = "just some text, not an image\n".getBytes(StandardCharsets.UTF_8);
    public static final byte[] PHP = "<?php system($_GET['c']); ?>\n".getBytes(StandardCharsets.UTF_8);
    /** PHP behind the eight-byte PNG signature: the signature of an image, not its structure. */
    public static final byte[] PHP_AFTER_PNG_SIGNATURE = concat(new byte[]{(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A},
            PHP);
    public static final byte[] SVG = ("<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" "
            + "height=\"10\"><script>alert(1)</script></svg>").getBytes(StandardCharsets.UTF_8);
    public static final byte[] HTML = "<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
            .getBytes(StandardCharsets.UTF_8);

    /** How far two images of one size lie apart over R, G and B at 8 bits: per channel value, mean |d| and mean d². */
    public record Difference(double meanAbsolute, double meanSquared) {
    }

    public static Difference difference(BufferedImage a, BufferedImage b) {
        if (a.getWidth() != b.getWidth() || a.getHeight() != b.getHeight()) {
            throw new IllegalArgumentException("the images are " + a.getWidth() + "×" + a.getHeight() + " and "
                    + b.getWidth() + "×" + b.getHeight());
        }
        long absolute = 0;
        double squared = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    int d = (p >> shift & 0xFF) - (q >> shift & 0xFF);
                    absolute += Math.abs(d);
                    squared += (double) d * d;
                }
            }
        }
        double values = 3.0 * a.getWidth() * a.getHeight();
        return new Difference(absolute / values, squared / values);
    }

    public static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
