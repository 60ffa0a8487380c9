package io.imgstream.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.imgstream.domain.Image;
import io.imgstream.domain.ImageDetails;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

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
@Schema(description = "An image's metadata as its owner sees it.")
public record ImageView(
        @Schema(description = "Random id; another user's id answers 404 as a missing one does") UUID id,
        @Schema(description = "Display name, NFC-normalised") String filename,
        @Schema(description = "The type found from the bytes' magic, e.g. image/jpeg") String contentType,
        long sizeBytes,
        @Schema(description = "SHA-256 of the bytes, lower-case hex", pattern = "^[0-9a-f]{64}$") String sha256,
        @Schema(description = "Stored pixel width, when the header declares it") @Nullable Integer width,
        @Nullable Integer height,
        @Schema(description = "EXIF orientation 1-8, 1 when absent", minimum = "1", maximum = "8") int orientation,
        @Schema(description = "Width as shown upright (after orientation)") @Nullable Integer displayWidth,
        @Nullable Integer displayHeight,
        @Schema(description = "EXIF capture time, when present") @Nullable Instant takenAt,
        @Schema(description = "1 at upload, +1 on each overwrite", minimum = "1") int version,
        Instant createdAt,
        Instant updatedAt,
        @Schema(description = "This user's other images with the same SHA-256") List<UUID> sameContentAs,
        @Schema(description = "RFC 6570 template of this version's thumbnail, relative to the API base URL: expand "
                + "{&size,fit,format} or drop it for the defaults") String thumbnailUrl) {

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
