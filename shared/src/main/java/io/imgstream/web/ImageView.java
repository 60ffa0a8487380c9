package io.imgstream.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.imgstream.domain.Image;
import io.imgstream.domain.ImageDetails;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An image as clients see it (never its object name). */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ImageView(UUID id, String filename, String contentType, long sizeBytes, String sha256,
                        @Nullable Integer width, @Nullable Integer height, @Nullable Instant takenAt, int version,
                        Instant createdAt, Instant updatedAt, List<UUID> sameContentAs) {

    public static ImageView of(ImageDetails details) {
        return of(details.image(), details.sameContentAs());
    }

    public static ImageView of(Image image, List<UUID> sameContentAs) {
        return new ImageView(image.id(), image.filename(), image.contentType(), image.sizeBytes(), image.sha256Hex(),
                image.width(), image.height(), image.takenAt(), image.version(), image.createdAt(), image.updatedAt(),
                sameContentAs);
    }
}
