package io.imgstream.adapter.imaging;

import io.imgstream.application.port.ThumbnailRenderer.Rendition;
import io.imgstream.domain.ErrorCode;
import io.imgstream.domain.ImageFormat;
import io.imgstream.domain.ImgStreamException;
import io.imgstream.domain.ThumbnailSpec;
import io.imgstream.dev.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageIoThumbnailRendererTest {

    static final int RED = 0xFF0000;
    static final int GREEN = 0x00FF00;
    static final int BLUE = 0x0000FF;
    static final int YELLOW = 0xFFFF00;

    final ImageIoThumbnailRenderer renderer = new ImageIoThumbnailRenderer();

    static ThumbnailSpec spec(int size, String fit, String format) {
        return new ThumbnailSpec(size, ThumbnailSpec.Fit.valueOf(fit.toUpperCase()),
                format == null ? null : ThumbnailSpec.Output.valueOf(format.toUpperCase()));
    }

    Rendition render(byte[] bytes, ImageFormat format, ThumbnailSpec spec) {
        return renderer.render(new BytesSource(bytes), format, spec);
    }

    static BufferedImage decode(Rendition rendition) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(rendition.bytes()));
    }

    /** Whether {@code rgb} is within JPEG's error of {@code expected}. */
    static void assertColour(int expected, int rgb, String where) {
        for (int shift = 0; shift <= 16; shift += 8) {
            int e = (expected >> shift) & 0xFF;
            int a = (rgb >> shift) & 0xFF;
            assertTrue(Math.abs(e - a) < 40, where + ": expected " + Integer.toHexString(expected) + ", got "
                    + Integer.toHexString(rgb & 0xFFFFFF));
        }
    }

    /** The stored pixel shown top left and top right, per TIFF 6.0's orientations. */
    @ParameterizedTest(name = "orientation {0}")
    @CsvSource({"1, RED, GREEN", "2, GREEN, RED", "3, YELLOW, BLUE", "4, BLUE, YELLOW",
            "5, RED, BLUE", "6, BLUE, RED", "7, YELLOW, GREEN", "8, GREEN, YELLOW"})
    void appliesExifOrientation(int orientation, String topLeft, String topRight) throws IOException {
        Rendition r = render(TestImages.jpegOriented(400, 200, orientation), ImageFormat.JPEG, spec(160, "inside", null));

        BufferedImage out = decode(r);
        boolean turned = orientation >= 5;
        assertEquals(turned ? 80 : 160, out.getWidth());
        assertEquals(turned ? 160 : 80, out.getHeight());
        assertEquals(orientation, r.orientation());
        assertColour(colour(topLeft), out.getRGB(5, 5), "top left");
        assertColour(colour(topRight), out.getRGB(out.getWidth() - 6, 5), "top right");
    }

    static int colour(String name) {
        return switch (name) {
            case "RED" -> RED;
            case "GREEN" -> GREEN;
            case "BLUE" -> BLUE;
            default -> YELLOW;
        };
    }

    @Test
    void treatsABogusOrientationAsUpright() throws IOException {
        Rendition r = render(TestImages.jpegOriented(400, 200, 9), ImageFormat.JPEG, spec(160, "inside", null));

        BufferedImage out = decode(r);
        assertEquals(160, out.getWidth());
        assertEquals(1, r.orientation());
        assertColour(RED, out.getRGB(5, 5), "top left");
    }

    @Test
    void opaqueSourceGivesJpegAndNeverUpscales() throws IOException {
        Rendition r = render(TestImages.write(TestImages.quadrants(100, 50, false), "png"), ImageFormat.PNG,
                spec(320, "inside", null));

        assertEquals("image/jpeg", r.contentType());
        BufferedImage out = decode(r);
        assertEquals(100, out.getWidth());
        assertEquals(50, out.getHeight());
    }

    @Test
    void coverGivesTheCentredSquareOrTheShortEdgeOfASmallerSource() throws IOException {
        BufferedImage big = decode(render(TestImages.write(TestImages.quadrants(400, 200, false), "png"), ImageFormat.PNG,
                spec(160, "cover", null)));
        assertEquals(160, big.getWidth());
        assertEquals(160, big.getHeight());
        // the centred square of 400×200 spans x 100..300: red and green halves on top, blue and yellow below
        assertColour(RED, big.getRGB(10, 10), "top left");
        assertColour(YELLOW, big.getRGB(150, 150), "bottom right");

        BufferedImage small = decode(render(TestImages.write(TestImages.quadrants(100, 50, false), "png"), ImageFormat.PNG,
                spec(320, "cover", null)));
        assertEquals(50, small.getWidth());
        assertEquals(50, small.getHeight());
    }

    @Test
    void rendersAStripSanelyInBothFits() throws IOException {
        byte[] strip = TestImages.write(TestImages.quadrants(20000, 5, false), "jpg");

        BufferedImage inside = decode(render(strip, ImageFormat.JPEG, spec(320, "inside", null)));
        assertEquals(320, inside.getWidth());
        assertEquals(1, inside.getHeight());
        BufferedImage cover = decode(render(strip, ImageFormat.JPEG, spec(320, "cover", null)));
        assertEquals(5, cover.getWidth());
        assertEquals(5, cover.getHeight());
    }

    @Test
    void rendersAOnePixelImage() throws IOException {
        BufferedImage out = decode(render(TestImages.write(TestImages.quadrants(1, 1, false), "png"), ImageFormat.PNG,
                spec(160, "inside", null)));
        assertEquals(1, out.getWidth());
        assertEquals(1, out.getHeight());
    }

    @Test
    void alphaSourceGivesPngWithItsTransparencyUnlessJpegIsAsked() throws IOException {
        byte[] png = TestImages.write(TestImages.quadrants(200, 200, true), "png");

        Rendition r = render(png, ImageFormat.PNG, spec(160, "inside", null));
        assertEquals("image/png", r.contentType());
        BufferedImage out = decode(r);
        assertTrue(out.getColorModel().hasAlpha());
        assertEquals(0, out.getRGB(150, 150) >>> 24, "the transparent quadrant stays transparent");
        assertEquals(0xFF, out.getRGB(10, 10) >>> 24);

        Rendition jpeg = render(png, ImageFormat.PNG, spec(160, "inside", "jpeg"));
        assertEquals("image/jpeg", jpeg.contentType());
        assertColour(0xFFFFFF, decode(jpeg).getRGB(150, 150), "transparency on white");
    }

    @Test
    void keepsThePaletteTransparentColour() throws IOException {
        Rendition out = render(TestImages.write(TestImages.paletteWithTransparentHalf(), "png"), ImageFormat.PNG, spec(160, "inside", null));

        assertEquals("image/png", out.contentType());
        BufferedImage decoded = decode(out);
        assertEquals(0, decoded.getRGB(50, 10) >>> 24);
        assertColour(RED, decoded.getRGB(10, 10), "opaque entry");
    }

    @Test
    void renders16BitGreyPng() throws IOException {
        BufferedImage grey = new BufferedImage(300, 200, BufferedImage.TYPE_USHORT_GRAY);
        for (int y = 0; y < 200; y++) {
            for (int x = 0; x < 300; x++) {
                grey.getRaster().setSample(x, y, 0, x < 150 ? 0 : 65535);
            }
        }
        BufferedImage out = decode(render(TestImages.write(grey, "png"), ImageFormat.PNG, spec(160, "inside", null)));
        assertEquals(160, out.getWidth());
        assertColour(0x000000, out.getRGB(10, 10), "black half");
        assertColour(0xFFFFFF, out.getRGB(150, 10), "white half");
    }

    @Test
    void aPngCutShortIsUnreadable() {
        byte[] png = TestImages.write(noise(600, 400), "png");
        byte[] cut = Arrays.copyOf(png, png.length / 2);

        ImgStreamException e = assertThrows(ImgStreamException.class,
                () -> render(cut, ImageFormat.PNG, spec(160, "inside", null)));
        assertEquals(ErrorCode.IMAGE_UNREADABLE, e.code());
    }

    @Test
    void aJpegCutShortIsUnreadable() {
        byte[] jpeg = TestImages.write(noise(600, 400), "jpg");
        byte[] cut = Arrays.copyOf(jpeg, jpeg.length / 2);

        ImgStreamException e = assertThrows(ImgStreamException.class,
                () -> render(cut, ImageFormat.JPEG, spec(160, "inside", null)));
        assertEquals(ErrorCode.IMAGE_UNREADABLE, e.code());
    }

    @Test
    void aSignatureFollowedByGarbageIsUnreadable() {
        byte[] fake = new byte[4096];
        Arrays.fill(fake, (byte) 0x5A);
        System.arraycopy(new byte[]{(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0}, 0, fake, 0, 4);

        ImgStreamException e = assertThrows(ImgStreamException.class,
                () -> render(fake, ImageFormat.JPEG, spec(160, "inside", null)));
        assertEquals(ErrorCode.IMAGE_UNREADABLE, e.code());
    }

    @Test
    void decodesInOneSequentialRead() {
        BytesSource source = new BytesSource(TestImages.write(noise(1200, 800), "jpg"));

        renderer.render(source, ImageFormat.JPEG, spec(160, "inside", null));

        assertEquals(1, source.opens.get());
    }

    @Test
    void rendersTheSameBytesTwice() {
        byte[] jpeg = TestImages.write(noise(1200, 800), "jpg");

        assertArrayEquals(render(jpeg, ImageFormat.JPEG, spec(320, "cover", null)).bytes(),
                render(jpeg, ImageFormat.JPEG, spec(320, "cover", null)).bytes());
    }

    @Test
    void aHundredMegapixelSourceIsDecodedWithinTheBudget() {
        for (int size : ThumbnailSpec.DEFAULT_SIZES) {
            for (ThumbnailSpec.Fit fit : ThumbnailSpec.Fit.values()) {
                Decode.Plan plan = Decode.Plan.of(12_247, 8_165, new ThumbnailSpec(size, fit, null));
                long decoded = (long) ceilDiv(plan.region().width, plan.subsampling())
                        * ceilDiv(plan.region().height, plan.subsampling());
                assertTrue(decoded <= Decode.PIXEL_BUDGET, size + " " + fit + ": " + decoded + " pixels");
                assertTrue(ceilDiv(plan.region().width, plan.subsampling()) >= plan.width());
            }
        }
    }

    @Test
    void aProgressiveJpegRendersAsCloseToTheOriginalAsItsBaselineTwin() throws IOException {
        BufferedImage picture = smooth(2400, 1600);
        byte[] baseline = jpeg(picture, false);
        byte[] progressive = jpeg(picture, true);
        // JPEG 160 and 240 px: 15 and 10 source pixels per output pixel, from the DC scan alone; JPEG 640 px (3.75) and
        // PNG 160 px (chroma blocks of 16 px would show), from every scan.
        for (String size : new String[]{"160 jpeg", "240 jpeg", "640 jpeg", "160 png"}) {
            ThumbnailSpec spec = spec(Integer.parseInt(size.split(" ")[0]), "inside", size.split(" ")[1]);
            BufferedImage a = decode(render(baseline, ImageFormat.JPEG, spec));
            BufferedImage b = decode(render(progressive, ImageFormat.JPEG, spec));
            BufferedImage exact = AreaAverage.resize(picture, a.getWidth(), a.getHeight());
            assertEquals(a.getWidth(), b.getWidth());
            assertEquals(a.getHeight(), b.getHeight());
            double fromBaseline = meanAbsoluteDifference(a, exact);
            double fromProgressive = meanAbsoluteDifference(b, exact);
            assertTrue(fromProgressive < fromBaseline + 0.5, size + ": progressive " + fromProgressive + ", baseline " + fromBaseline);
        }
    }

    @Test
    void aSmallThumbnailOfAProgressiveJpegReadsOnlyItsDcScan() throws IOException {
        byte[] progressive = jpeg(smooth(2400, 1600), true);
        byte[] baseline = jpeg(smooth(600, 400), false);

        var prefix = ProgressiveJpeg.dcOnly(new BytesSource(progressive)).orElseThrow();

        assertTrue(prefix.size() < progressive.length / 4, prefix.size() + " of " + progressive.length);
        assertEquals(8, ProgressiveJpeg.dcOnlyReduction(progressive, progressive.length, true)); // 4:2:0 into 4:2:0
        assertEquals(16, ProgressiveJpeg.dcOnlyReduction(progressive, progressive.length, false));
        assertEquals(Integer.MAX_VALUE, ProgressiveJpeg.dcOnlyReduction(baseline, baseline.length, true));
        assertTrue(ProgressiveJpeg.dcOnly(new BytesSource(baseline)).isEmpty());
    }

    static byte[] jpeg(BufferedImage image, boolean progressive) throws IOException {
        javax.imageio.ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (var out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            javax.imageio.ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(javax.imageio.ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.9f);
            if (progressive) {
                param.setProgressiveMode(javax.imageio.ImageWriteParam.MODE_DEFAULT);
            }
            writer.write(null, new javax.imageio.IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** Gradients and ripples, with some grain: what a photograph's 8×8 blocks look like. */
    static BufferedImage smooth(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        java.util.Random random = new java.util.Random(7);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r = (int) (120 + 100 * Math.sin(x / 97.0) * Math.cos(y / 61.0)) + random.nextInt(9) - 4;
                int g = (int) (128 + 90 * Math.sin((x + y) / 40.0)) + random.nextInt(9) - 4;
                int b = 255 * y / height;
                image.setRGB(x, y, Math.max(0, Math.min(255, r)) << 16 | Math.max(0, Math.min(255, g)) << 8 | b);
            }
        }
        return image;
    }

    static double meanAbsoluteDifference(BufferedImage a, BufferedImage b) {
        return TestImages.difference(a, b).meanAbsolute();
    }

    static long ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    static BufferedImage noise(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        java.util.Random random = new java.util.Random(42);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        return image;
    }
}
