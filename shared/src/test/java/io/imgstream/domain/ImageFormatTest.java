package io.imgstream.domain;

import io.imgstream.dev.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ImageFormatTest {

    private static Optional<ImageFormat> detect(byte[] bytes) {
        return ImageFormat.detect(bytes, Math.min(bytes.length, ImageFormat.SNIFF_BYTES));
    }

    private static byte[] bytes(String latin1) {
        return latin1.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void recognisesImagesWrittenByRealEncoders() {
        assertEquals(Optional.of(ImageFormat.PNG), detect(TestImages.encoded("png", 3, 2, 1)));
        assertEquals(Optional.of(ImageFormat.JPEG), detect(TestImages.encoded("jpg", 3, 2, 1)));
        assertEquals(Optional.of(ImageFormat.GIF), detect(TestImages.encoded("gif", 3, 2, 1)));
        assertEquals(Optional.of(ImageFormat.BMP), detect(TestImages.encoded("bmp", 3, 2, 1)));
        assertEquals(Optional.of(ImageFormat.TIFF), detect(TestImages.encoded("tiff", 3, 2, 1)));
        assertEquals(Optional.of(ImageFormat.JPEG), detect(TestImages.jpegTakenAt("2021:07:14 09:30:05", 1)));
    }

    @Test
    void recognisesHandMadeHeadersOfTheOtherFormats() {
        assertEquals(Optional.of(ImageFormat.WEBP), detect(TestImages.webp(10, 10)));
        assertEquals(Optional.of(ImageFormat.HEIC), detect(TestImages.isoBmff("heic")));
        assertEquals(Optional.of(ImageFormat.AVIF), detect(TestImages.isoBmff("avif")));
        assertEquals(Optional.of(ImageFormat.HEIF), detect(TestImages.isoBmff("mif1")));
        assertEquals(Optional.of(ImageFormat.PNG), detect(TestImages.pngHeader(1, 1)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "\u0089PNG\r\n\u001a\n<?php system($_GET['c']); ?>", // a PNG signature, then no IHDR
            "\u00ff\u00d8\u00ff<?php echo 1; ?>", // JPEG SOI, then no marker
            "\u00ff\u00d8\u00ff",
            "GIF89a<?php", // shorter than a screen descriptor
            "RIFF\u0000\u0000\u0000\u0000WEBP<?php echo 1; ?>", // no VP8 chunk
            "BM<?php echo 1; ?>..........xxxxxxxxxx", // no BMP info header
            "II*\u0000\u0000\u0000\u0000\u0000<?php", // TIFF directory at offset 0
            "<?php system($_GET['c']); ?>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>",
    })
    void refusesASignatureWithoutTheStructureThatFollowsIt(String content) {
        assertEquals(Optional.empty(), detect(bytes(content)));
    }
}
