package io.imgstream.application.port;

import io.imgstream.domain.ImageFormat;
import io.imgstream.domain.ThumbnailSpec;

import java.io.InputStream;

/**
 * Renders a thumbnail from an image's stored bytes: decode (subsampled, so memory stays bounded whatever the source's
 * size) → orient (EXIF) → resize (area average) → encode. The output is a pure function of the bytes and the spec, so
 * two renders of one thumbnail give the same bytes and either may be kept.
 *
 * <p>Throws {@link io.imgstream.domain.ImgStreamException} {@code image_unreadable} for bytes that do not decode and
 * {@code thumbnail_unsupported} for a type this renderer cannot decode.
 */
public interface ThumbnailRenderer {

    /**
     * A revision of the rendering: part of every thumbnail's name and ETag, bumped when the same source and spec would
     * render to other bytes, so a cached thumbnail of an older renderer is never served as this one's.
     */
    String revision();

    /** Whether thumbnails of this type can be rendered here (HEIC and AVIF need a native decoder on the host). */
    boolean canRender(ImageFormat format);

    Rendition render(Source source, ImageFormat format, ThumbnailSpec spec);

    /** The stored bytes, readable from any offset: decoders seek (TIFF directories, JPEG markers). */
    interface Source {
        long size();

        /** The bytes from {@code offset} to the end. */
        InputStream openAt(long offset);
    }

    /**
     * @param orientation the EXIF orientation the source declared and the rendition applied
     */
    record Rendition(byte[] bytes, String contentType, int width, int height, int orientation) {
    }
}
