package io.imgstream.adapter.imaging;

import io.imgstream.domain.ThumbnailSpec;

import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.AlphaComposite;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;

/**
 * The decode step: shrink-on-load as libvips' {@code thumbnail} does. The reader skips pixels while it decodes
 * ({@link ImageReadParam#setSourceSubsampling}) so that the decoded raster is only a few times the thumbnail's size —
 * enough source pixels per output pixel for the box filter to average away the aliasing of the skip — and never more
 * than {@link #PIXEL_BUDGET} pixels, so a 100-megapixel source never has a full-resolution raster in memory. A cover
 * crop reads only its centred square ({@link ImageReadParam#setSourceRegion}). The result is packed-int sRGB.
 */
final class Decode {

    /** Source pixels kept per output pixel and axis: fewer alias visibly, more only cost time (see BENCHMARKS.md). */
    static final int KEPT_PER_OUTPUT = 4;
    /** The largest decoded raster: 8 Mpx, 32 MiB packed, whatever the source. */
    static final long PIXEL_BUDGET = 8_000_000;

    private Decode() {
    }

    /**
     * Where to read and what to make, in the stored (not yet oriented) orientation.
     *
     * @param width  the output's width before orientation
     * @param height the output's height before orientation
     */
    record Plan(Rectangle region, int subsampling, int width, int height) {

        static Plan of(int sourceWidth, int sourceHeight, ThumbnailSpec spec) {
            Rectangle region;
            int w;
            int h;
            if (spec.fit() == ThumbnailSpec.Fit.COVER) {
                int side = Math.min(sourceWidth, sourceHeight);
                region = new Rectangle((sourceWidth - side) / 2, (sourceHeight - side) / 2, side, side);
                w = h = Math.min(spec.size(), side);
            } else {
                region = new Rectangle(0, 0, sourceWidth, sourceHeight);
                double scale = Math.min(1.0, (double) spec.size() / Math.max(sourceWidth, sourceHeight));
                w = Math.max(1, (int) Math.round(sourceWidth * scale));
                h = Math.max(1, (int) Math.round(sourceHeight * scale));
            }
            int most = Math.max(1, Math.min(region.width / w, region.height / h)); // never below the output's size
            int forQuality = Math.max(1, Math.min(region.width / w, region.height / h) / KEPT_PER_OUTPUT);
            int forMemory = (int) Math.ceil(Math.sqrt((double) region.width * region.height / PIXEL_BUDGET));
            return new Plan(region, Math.min(most, Math.max(forQuality, forMemory)), w, h);
        }

        /** Source pixels per output pixel along the axis that shrinks least. */
        int reduction() {
            return Math.min(region.width / width, region.height / height);
        }
    }

    /** The decoded pixels and whether the source has an alpha channel (its thumbnail is then a PNG). */
    record Decoded(BufferedImage pixels, boolean alpha) {
    }

    /** A reader for the bytes, or null when no installed plugin knows them. */
    static ImageReader readerFor(ImageInputStream in) {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        return readers.hasNext() ? readers.next() : null;
    }

    /**
     * Reads the first image (an animated GIF's first frame, a TIFF's first page) as {@code plan} says.
     *
     * @param warnings collects what the decoder reported but did not throw (a JPEG cut short decodes grey to the end)
     */
    static Decoded read(ImageReader reader, Plan plan, List<String> warnings) throws IOException {
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        ImageReadParam param = reader.getDefaultReadParam();
        param.setSourceRegion(plan.region());
        param.setSourceSubsampling(plan.subsampling(), plan.subsampling(), 0, 0);
        BufferedImage raw = reader.read(0, param);
        boolean alpha = raw.getColorModel().hasAlpha();
        return new Decoded(toSrgb(raw, alpha), alpha);
    }

    /**
     * Packed-int sRGB. Java 2D draws sRGB, indexed, 16-bit and grey rasters as they are; a raster tagged with another
     * ICC profile (Adobe RGB, Display P3, a CMYK press profile) is converted through the profile, as browsers do.
     */
    static BufferedImage toSrgb(BufferedImage raw, boolean alpha) {
        int type = alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB;
        if (raw.getType() == type) {
            return raw;
        }
        BufferedImage out = new BufferedImage(raw.getWidth(), raw.getHeight(), type);
        ColorSpace space = raw.getColorModel().getColorSpace();
        if (space.isCS_sRGB() || space == ColorSpace.getInstance(ColorSpace.CS_GRAY)
                || space == ColorSpace.getInstance(ColorSpace.CS_LINEAR_RGB)) {
            Graphics2D g = out.createGraphics();
            try {
                g.setComposite(AlphaComposite.Src);
                g.drawImage(raw, 0, 0, null);
            } finally {
                g.dispose();
            }
        } else {
            new ColorConvertOp(null).filter(raw, out);
        }
        return out;
    }
}
