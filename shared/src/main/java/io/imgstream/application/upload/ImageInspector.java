package io.imgstream.application.upload;

import com.drew.imaging.ImageMetadataReader;
import com.drew.imaging.ImageProcessingException;
import com.drew.metadata.Directory;
import com.drew.metadata.Metadata;
import com.drew.metadata.bmp.BmpHeaderDirectory;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.ExifSubIFDDirectory;
import com.drew.metadata.gif.GifHeaderDirectory;
import com.drew.metadata.heif.HeifDirectory;
import com.drew.metadata.jpeg.JpegDirectory;
import com.drew.metadata.png.PngDirectory;
import com.drew.metadata.webp.WebpDirectory;
import io.imgstream.domain.Orientation;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.TimeZone;

/**
 * Reads dimensions and capture time from an image's headers with metadata-extractor, never by decoding
 * pixels, and only from the first bytes of the upload (where headers live), so memory stays bounded.
 */
public final class ImageInspector {

    /**
     * What the headers declare; dimensions absent when the headers do not say (or lie past the prefix).
     *
     * @param orientation EXIF orientation 1–8, 1 when absent or bogus ({@link Orientation#of})
     */
    public record Inspection(Integer width, Integer height, Instant takenAt, int orientation) {
        long pixels() {
            return width == null || height == null ? 0 : (long) width * height;
        }
    }

    private record DimensionTags(Class<? extends Directory> type, int width, int height) {
    }

    private static final List<DimensionTags> DIMENSIONS = List.of(
            new DimensionTags(PngDirectory.class, PngDirectory.TAG_IMAGE_WIDTH, PngDirectory.TAG_IMAGE_HEIGHT),
            new DimensionTags(JpegDirectory.class, JpegDirectory.TAG_IMAGE_WIDTH, JpegDirectory.TAG_IMAGE_HEIGHT),
            new DimensionTags(GifHeaderDirectory.class, GifHeaderDirectory.TAG_IMAGE_WIDTH, GifHeaderDirectory.TAG_IMAGE_HEIGHT),
            new DimensionTags(WebpDirectory.class, WebpDirectory.TAG_IMAGE_WIDTH, WebpDirectory.TAG_IMAGE_HEIGHT),
            new DimensionTags(BmpHeaderDirectory.class, BmpHeaderDirectory.TAG_IMAGE_WIDTH, BmpHeaderDirectory.TAG_IMAGE_HEIGHT),
            new DimensionTags(HeifDirectory.class, HeifDirectory.TAG_IMAGE_WIDTH, HeifDirectory.TAG_IMAGE_HEIGHT),
            new DimensionTags(ExifIFD0Directory.class, ExifIFD0Directory.TAG_IMAGE_WIDTH, ExifIFD0Directory.TAG_IMAGE_HEIGHT),
            new DimensionTags(ExifSubIFDDirectory.class, ExifSubIFDDirectory.TAG_EXIF_IMAGE_WIDTH, ExifSubIFDDirectory.TAG_EXIF_IMAGE_HEIGHT));

    private ImageInspector() {
    }

    public static Inspection inspect(byte[] header, int length) {
        Metadata metadata;
        try {
            metadata = ImageMetadataReader.readMetadata(new ByteArrayInputStream(header, 0, length), length);
        } catch (ImageProcessingException | IOException | RuntimeException e) {
            // Headers cut by the prefix or unusual: store the image without dimensions rather than refuse it.
            return new Inspection(null, null, null, Orientation.UPRIGHT);
        }
        Integer width = null;
        Integer height = null;
        for (DimensionTags tags : DIMENSIONS) {
            for (Directory dir : metadata.getDirectoriesOfType(tags.type())) {
                Integer w = dir.getInteger(tags.width());
                Integer h = dir.getInteger(tags.height());
                if (w != null && h != null && w != 0 && h != 0) {
                    width = Math.abs(w);
                    height = Math.abs(h);
                    break;
                }
            }
            if (width != null) {
                break;
            }
        }
        Instant takenAt = null;
        ExifSubIFDDirectory exif = metadata.getFirstDirectoryOfType(ExifSubIFDDirectory.class);
        if (exif != null) {
            Date original = exif.getDateOriginal(TimeZone.getTimeZone("UTC"));
            takenAt = original == null ? null : original.toInstant();
        }
        ExifIFD0Directory ifd0 = metadata.getFirstDirectoryOfType(ExifIFD0Directory.class);
        Integer orientation = ifd0 == null ? null : ifd0.getInteger(ExifIFD0Directory.TAG_ORIENTATION);
        return new Inspection(width, height, takenAt, Orientation.of(orientation));
    }
}
