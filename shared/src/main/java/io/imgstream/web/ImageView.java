package io.imgstream.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.imgstream.domain.Image;
import io.imgstream.domain.ImageDetails;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An image as clients see it (never its object name).
 *
 * @param width          the stored pixels' width; {@code displayWidth} is the width shown upright (EXIF orientation)
 * @param thumbnailUrl   an RFC 6570 template of this version's thumbnail, relative to the fetch base URL: expand
 *                       {@code {&size,fit,format}} (or drop it for the defaults); naming the version makes it immutable
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ImageView(UUID id, String filename, String contentType, long sizeBytes, String sha256,
                        @Nullable Integer width, @Nullable Integer height, int orientation,
                        @Nullable Integer displayWidth, @Nullable Integer displayHeight, @Nullable Instant takenAt,
                        int version, Instant createdAt, Instant updatedAt, List<UUID> sameContentAs,
                        String thumbnailUrl) {

    public static ImageView of(ImageDetails details) {
        return of(details.image(), details.sameContentAs());
    }

    public static ImageView of(Image image, List<UUID> sameContentAs) {
        return new ImageView(image.id(), image.filename(), image.contentType(), image.sizeBytes(), image.sha256Hex(),
                image.width(), image.height(), image.orientationOrUpright(), image.displayWidth(), image.displayHeight(),
                image.takenAt(), image.version(), image.createdAt(), image.updatedAt(), sameContentAs,
                "/images/" + image.id() + "/thumbnail?v=" + image.version() + "{&size,fit,format}");
    }
}
