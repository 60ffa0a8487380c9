package io.imgstream.application.upload;

import io.imgstream.domain.Image;

import java.util.List;

/**
 * The result of an upload.
 *
 * @param created       true when a new image was stored, false for a replacement, a skip or an idempotent retry
 * @param sameContentAs this user's other live images with the same bytes
 */
public record UploadOutcome(Image image, boolean created, List<java.util.UUID> sameContentAs) {
}
