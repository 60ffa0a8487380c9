package io.imgstream.adapter.imaging;

import io.imgstream.application.port.ThumbnailRenderer.Rendition;
import io.imgstream.domain.ImageFormat;
import io.imgstream.domain.ThumbnailSpec;
import io.imgstream.dev.TestImages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.imgstream.adapter.imaging.ImageIoThumbnailRendererTest.assertColour;
import static io.imgstream.adapter.imaging.ImageIoThumbnailRendererTest.colour;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Files made by the encoders users' files come from (ImageMagick, libwebp, libheif, libavif, exiftool), rendered.
 * Each case is skipped, not passed, where its encoder is not installed (CI installs them: see .ci/run).
 */
class RealEncoderThumbnailTest {

    @TempDir
    static Path dir;
    static Path base;
    static Path second;

    final ImageIoThumbnailRenderer renderer = new ImageIoThumbnailRenderer();

    @BeforeAll
    static void pictures() throws IOException {
        base = dir.resolve("base.png"); // 400×200: red, green / blue, yellow
        Files.write(base, TestImages.write(TestImages.quadrants(400, 200, false), "png"));
        BufferedImage blue = new BufferedImage(400, 200, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 200; y++) {
            for (int x = 0; x < 400; x++) {
                blue.setRGB(x, y, 0x0000FF);
            }
        }
        second = dir.resolve("blue.png");
        Files.write(second, TestImages.write(blue, "png"));
    }

    /**
     * @param command   how the file is made: {in} the base picture, {in2} a blue one, {out} the file
     * @param topLeft   the colour shown top left; {@code topRight} likewise
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "baseline JPEG      | /usr/bin/convert {in} -quality 90 {out}.jpg | JPEG | image/jpeg | 160 | 80 | RED | GREEN",
            "progressive JPEG   | /usr/bin/convert {in} -interlace JPEG {out}.jpg | JPEG | image/jpeg | 160 | 80 | RED | GREEN",
            "CMYK JPEG          | /usr/bin/convert {in} -colorspace CMYK {out}.jpg | JPEG | image/jpeg | 160 | 80 | RED | GREEN",
            "grey JPEG          | /usr/bin/convert {in} -colorspace Gray {out}.jpg | JPEG | image/jpeg | 160 | 80 | GREY_RED | GREY_GREEN",
            "Adobe RGB JPEG     | /usr/bin/convert {in} -profile /usr/share/color/icc/ghostscript/srgb.icc -profile /usr/share/color/icc/ghostscript/a98.icc {out}.jpg | JPEG | image/jpeg | 160 | 80 | RED | GREEN",
            "EXIF-turned JPEG   | /usr/bin/convert {in} {out}.jpg && exiftool -q -overwrite_original -n -Orientation=6 {out}.jpg | JPEG | image/jpeg | 80 | 160 | BLUE | RED",
            "interlaced PNG     | /usr/bin/convert {in} -interlace PNG {out}.png | PNG | image/jpeg | 160 | 80 | RED | GREEN",
            "16-bit RGBA PNG    | /usr/bin/convert {in} -alpha on -channel A -evaluate set 50% +channel PNG64:{out}.png | PNG | image/png | 160 | 80 | RED | GREEN",
            "palette PNG        | /usr/bin/convert {in} PNG8:{out}.png | PNG | image/jpeg | 160 | 80 | RED | GREEN",
            "animated GIF       | /usr/bin/convert -delay 10 {in} {in2} {out}.gif | GIF | image/jpeg | 160 | 80 | RED | GREEN",
            "BMP                | /usr/bin/convert {in} BMP3:{out}.bmp | BMP | image/jpeg | 160 | 80 | RED | GREEN",
            "multi-page TIFF    | /usr/bin/convert {in} {in2} -compress lzw {out}.tif | TIFF | image/jpeg | 160 | 80 | RED | GREEN",
            "turned TIFF        | /usr/bin/convert {in} -orient RightTop {out}.tif | TIFF | image/jpeg | 80 | 160 | BLUE | RED",
            "lossy WebP         | cwebp -quiet -q 80 {in} -o {out}.webp | WEBP | image/jpeg | 160 | 80 | RED | GREEN",
            "lossless WebP      | cwebp -quiet -lossless {in} -o {out}.webp | WEBP | image/jpeg | 160 | 80 | RED | GREEN",
            "HEIC               | heif-enc -q 90 -o {out}.heic {in} | HEIC | image/jpeg | 160 | 80 | RED | GREEN",
            "AVIF               | avifenc --min 8 --max 16 {in} {out}.avif | AVIF | image/jpeg | 160 | 80 | RED | GREEN",
    })
    void renders(String name, String command, ImageFormat format, String contentType, int width, int height,
                 String topLeft, String topRight) throws Exception {
        Path out = make(command);
        assumeTrue(renderer.canRender(format), "no native decoder for " + format + " on this host");

        Rendition r = renderer.render(new BytesSource(Files.readAllBytes(out)), format,
                new ThumbnailSpec(160, ThumbnailSpec.Fit.INSIDE, null));

        assertEquals(contentType, r.contentType());
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(r.bytes()));
        assertEquals(width, image.getWidth(), "width");
        assertEquals(height, image.getHeight(), "height");
        assertColour(expected(topLeft), image.getRGB(5, 5), "top left");
        assertColour(expected(topRight), image.getRGB(image.getWidth() - 6, 5), "top right");
    }

    /** Each native decoder alone, both fits: what a host with only that tool (google-22-full: ImageMagick) renders. */
    @ParameterizedTest(name = "{1} through {0}")
    @CsvSource(delimiter = '|', value = {
            "vipsthumbnail | HEIC | heif-enc -q 90 -o {out}.heic {in}",
            "vipsthumbnail | AVIF | avifenc --min 8 --max 16 {in} {out}.avif",
            "heif-dec      | HEIC | heif-enc -q 90 -o {out}.heic {in}",
            "avifdec       | AVIF | avifenc --min 8 --max 16 {in} {out}.avif",
            "imagemagick   | HEIC | heif-enc -q 90 -o {out}.heic {in}",
            "imagemagick   | AVIF | avifenc --min 8 --max 16 {in} {out}.avif",
    })
    void rendersThroughEachNativeDecoder(String tool, ImageFormat format, String command) throws Exception {
        Path out = make(command);
        ImageIoThumbnailRenderer only = new ImageIoThumbnailRenderer(NativeDecoder.onPath(java.util.Set.of(tool)));
        assumeTrue(only.canRender(format), tool + " is not installed or does not read " + format + " here");
        byte[] bytes = Files.readAllBytes(out);

        BufferedImage inside = ImageIO.read(new ByteArrayInputStream(only.render(new BytesSource(bytes), format,
                new ThumbnailSpec(160, ThumbnailSpec.Fit.INSIDE, null)).bytes()));
        assertEquals(160, inside.getWidth());
        assertEquals(80, inside.getHeight());
        assertColour(colour("RED"), inside.getRGB(5, 5), "top left");
        assertColour(colour("YELLOW"), inside.getRGB(154, 74), "bottom right");
        BufferedImage cover = ImageIO.read(new ByteArrayInputStream(only.render(new BytesSource(bytes), format,
                new ThumbnailSpec(80, ThumbnailSpec.Fit.COVER, null)).bytes()));
        assertEquals(80, cover.getWidth());
        assertEquals(80, cover.getHeight());
        assertColour(colour("RED"), cover.getRGB(5, 5), "the centre square's top left");
        assertColour(colour("GREEN"), cover.getRGB(74, 5), "the centre square's top right");
    }

    static int expected(String name) {
        return switch (name) {
            case "GREY_RED" -> 0x363636; // Rec. 709 luma of pure red, as ImageMagick's Gray computes it
            case "GREY_GREEN" -> 0xB6B6B6;
            default -> colour(name);
        };
    }

    /** Runs the shell command line; skips the test when one of its programs is not installed. */
    static Path make(String template) throws Exception {
        String name = "f" + Math.abs(template.hashCode());
        Path out = dir.resolve(name);
        String line = template.replace("{in2}", second.toString()).replace("{in}", base.toString())
                .replace("{out}", out.toString());
        for (String part : line.split("&&")) {
            String program = part.trim().split(" ")[0];
            assumeTrue(onPath(program), program + " is not installed");
        }
        Process p = new ProcessBuilder("sh", "-c", line).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, line + ": " + output);
        try (var files = Files.list(dir)) {
            List<Path> made = new ArrayList<>(files.filter(f -> f.getFileName().toString().startsWith(name + ".")).toList());
            assertEquals(1, made.size(), "one file made by " + line + ": " + made);
            return made.get(0);
        }
    }

    static boolean onPath(String program) {
        if (program.startsWith("/")) {
            return Files.isExecutable(Path.of(program));
        }
        return Arrays.stream(System.getenv("PATH").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, program)));
    }
}
