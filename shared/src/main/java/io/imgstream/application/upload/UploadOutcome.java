package io.imgstream.application.upload;

import io.imgstream.domain.Image;

import java.util.List;

/**
 * The result of an upload.
 *
 * @param created       true when a new image was stored (201), false for a replacement, skip or idempotent retry (200)
 * @param sameContentAs this user's other live images with the same bytes
 */
public record UploadOutcome(Image image, boolean created, List<java.util.UUID> sameContentAs) {

    public int status() {
        return created ? 201 : 200;
    }
}
