package io.imgstream.bench;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * A photo-like test image built in code, so the thumbnail suite needs no external tool to make its sources: value
 * noise of eleven octaves (2048 px down to 2 px) for the luminance — the roughly equal energy per octave of natural
 * images — with the fine octaves only where a coarse mask says "texture" (foliage, fabric) and smooth elsewhere (sky,
 * walls); soft-edged contours (objects' outlines, about 2 px wide, as a lens draws them); colour only at coarse scales
 * (as in photographs, whose chroma is smooth); and a little per-pixel grain. Deterministic for a seed.
 */
final class SyntheticPhoto {

    private static final int[] CELLS = {2048, 1024, 512, 256, 128, 64, 32, 16, 8, 4, 2};

    private SyntheticPhoto() {
    }

    static BufferedImage generate(int width, int height, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Grid[] luminance = new Grid[CELLS.length];
        for (int i = 0; i < CELLS.length; i++) {
            luminance[i] = new Grid(width, height, CELLS[i], random);
        }
        Grid mask = new Grid(width, height, 512, random);
        Grid outline = new Grid(width, height, 1024, random);
        Grid outlineDetail = new Grid(width, height, 256, random);
        Grid[] u = {new Grid(width, height, 2048, random), new Grid(width, height, 512, random), new Grid(width, height, 128, random)};
        Grid[] v = {new Grid(width, height, 2048, random), new Grid(width, height, 512, random), new Grid(width, height, 128, random)};
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        IntStream.range(0, height).parallel().forEach(y -> {
            SplittableRandom grain = new SplittableRandom(seed * 1_000_003L + y);
            for (int x = 0; x < width; x++) {
                double l = 120;
                for (int i = 0; i < 4; i++) {
                    l += 38 * luminance[i].at(x, y);
                }
                double textured = Math.max(0, Math.min(1, mask.at(x, y) * 2.5 + 0.6));
                double detail = 0;
                for (int i = 4; i < CELLS.length; i++) {
                    detail += luminance[i].at(x, y);
                }
                l += textured * 26 * detail;
                double e = outline.at(x, y) + 0.35 * outlineDetail.at(x, y);
                l += 32 * Math.max(-1, Math.min(1, e * 400));
                l += (grain.nextDouble() - 0.5) * 7;
                double cu = 22 * u[0].at(x, y) + 14 * u[1].at(x, y) + 6 * u[2].at(x, y) - 6;
                double cv = 22 * v[0].at(x, y) + 14 * v[1].at(x, y) + 6 * v[2].at(x, y) + 8;
                int r = clamp(l + 1.402 * cv);
                int g = clamp(l - 0.344 * cu - 0.714 * cv);
                int b = clamp(l + 1.772 * cu);
                pixels[y * width + x] = r << 16 | g << 8 | b;
            }
        });
        return image;
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }

    /**
     * Random values in [-1, 1] on a square lattice of {@code 2^shift} px, bilinearly interpolated with smoothstep
     * weights (looked up, not computed: the generator makes 100 Mpx in a few seconds).
     */
    private static final class Grid {
        final int shift;
        final int columns;
        final float[] values;
        final float[] weights;

        Grid(int width, int height, int cell, SplittableRandom random) {
            if (Integer.bitCount(cell) != 1) {
                throw new IllegalArgumentException("cell must be a power of two");
            }
            this.shift = Integer.numberOfTrailingZeros(cell);
            this.columns = (width >> shift) + 2;
            int rows = (height >> shift) + 2;
            values = new float[columns * rows];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (random.nextDouble() * 2 - 1);
            }
            weights = new float[cell];
            for (int i = 0; i < cell; i++) {
                double t = (i + 0.5) / cell;
                weights[i] = (float) (t * t * (3 - 2 * t));
            }
        }

        double at(int x, int y) {
            int mask = weights.length - 1;
            float fx = weights[x & mask];
            float fy = weights[y & mask];
            int i = (y >> shift) * columns + (x >> shift);
            float top = values[i] + (values[i + 1] - values[i]) * fx;
            float bottom = values[i + columns] + (values[i + columns + 1] - values[i + columns]) * fx;
            return top + (bottom - top) * fy;
        }
    }

    /** {@code image} as a JPEG of {@code quality} (0–1) by the JDK's writer (4:2:0, as most cameras and phones write). */
    static void writeJpeg(BufferedImage image, Path file, float quality, boolean progressive) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        Files.deleteIfExists(file);
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            if (progressive) {
                param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            }
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
    }

    static void writePng(BufferedImage image, Path file) throws IOException {
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer");
        }
    }
}
