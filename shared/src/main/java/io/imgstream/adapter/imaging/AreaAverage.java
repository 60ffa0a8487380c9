package io.imgstream.adapter.imaging;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/**
 * The resize step: a box filter (each output pixel the area-weighted mean of the source pixels it covers, fractional
 * edges included), as ImageMagick's {@code -thumbnail} and libvips' shrink do, in premultiplied alpha so transparent
 * pixels do not darken their neighbours' edges. One output row at a time: besides the two images it holds one
 * accumulator row, whatever the source's height.
 */
final class AreaAverage {

    private AreaAverage() {
    }

    /** {@code source} (packed int RGB or ARGB, tightly laid out) scaled down to {@code width} × {@code height}. */
    static BufferedImage resize(BufferedImage source, int width, int height) {
        int sw = source.getWidth();
        int sh = source.getHeight();
        if (sw == width && sh == height) {
            return source;
        }
        if (width > sw || height > sh) {
            throw new IllegalArgumentException("the box filter only shrinks: " + sw + "×" + sh + " → " + width + "×" + height);
        }
        boolean alpha = source.getColorModel().hasAlpha();
        int[] src = ((DataBufferInt) source.getRaster().getDataBuffer()).getData();
        BufferedImage out = new BufferedImage(width, height, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        int[] dst = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
        Spans columns = Spans.of(sw, width);
        double rowScale = (double) sh / height;
        float[] acc = new float[sw * 4]; // a, r·a, g·a, b·a of each source column, summed over the output row's span
        for (int dy = 0; dy < height; dy++) {
            java.util.Arrays.fill(acc, 0f);
            double y0 = dy * rowScale;
            double y1 = Math.min(sh, (dy + 1) * rowScale);
            for (int sy = (int) y0; sy < y1; sy++) {
                float wy = (float) (Math.min(sy + 1, y1) - Math.max(sy, y0));
                int row = sy * sw;
                for (int sx = 0, a4 = 0; sx < sw; sx++, a4 += 4) {
                    int p = src[row + sx];
                    float a = alpha ? (p >>> 24) * wy : 255f * wy;
                    acc[a4] += a;
                    acc[a4 + 1] += ((p >> 16) & 0xFF) * a;
                    acc[a4 + 2] += ((p >> 8) & 0xFF) * a;
                    acc[a4 + 3] += (p & 0xFF) * a;
                }
            }
            for (int dx = 0; dx < width; dx++) {
                float a = 0;
                float r = 0;
                float g = 0;
                float b = 0;
                for (int k = columns.start[dx]; k < columns.end[dx]; k++) {
                    float wx = columns.weight(dx, k);
                    int a4 = k * 4;
                    a += acc[a4] * wx;
                    r += acc[a4 + 1] * wx;
                    g += acc[a4 + 2] * wx;
                    b += acc[a4 + 3] * wx;
                }
                float area = (float) (rowScale * columns.scale);
                int pixel = 0;
                if (a > 0) {
                    pixel = channel(r / a) << 16 | channel(g / a) << 8 | channel(b / a);
                    if (alpha) {
                        pixel |= channel(a / area) << 24;
                    }
                }
                dst[dy * width + dx] = pixel;
            }
        }
        return out;
    }

    private static int channel(float value) {
        int v = Math.round(value);
        return v < 0 ? 0 : Math.min(v, 255);
    }

    /** The source columns each output column covers, with the covered fraction of the first and last. */
    private static final class Spans {
        final int[] start;
        final int[] end;
        final double scale;
        final double[] from;
        final double[] to;

        private Spans(int n, double scale) {
            start = new int[n];
            end = new int[n];
            from = new double[n];
            to = new double[n];
            this.scale = scale;
        }

        static Spans of(int sourceLength, int length) {
            Spans s = new Spans(length, (double) sourceLength / length);
            for (int d = 0; d < length; d++) {
                s.from[d] = d * s.scale;
                s.to[d] = Math.min(sourceLength, (d + 1) * s.scale);
                s.start[d] = (int) s.from[d];
                s.end[d] = (int) Math.ceil(s.to[d]);
            }
            return s;
        }

        float weight(int d, int k) {
            return (float) (Math.min(k + 1, to[d]) - Math.max(k, from[d]));
        }
    }
}
