package io.imgstream.config;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * What one upload may be, read by the upload use cases (raw, multipart, tus).
 *
 * @param maxUploadBytes {@code MAX_UPLOAD_BYTES}, the largest accepted body (a multipart request as a whole, and a tus
 *                       chunk); below Cloud Run's 32 MiB request limit, so that the platform never refuses first
 * @param maxImagePixels {@code MAX_IMAGE_PIXELS}, the largest declared width × height
 */
@ConfigurationProperties("imgstream")
public record UploadLimits(long maxUploadBytes, long maxImagePixels) {

    public UploadLimits {
        InvalidConfigurationException.requireRange("MAX_UPLOAD_BYTES", maxUploadBytes, 1, Long.MAX_VALUE);
        InvalidConfigurationException.requireRange("MAX_IMAGE_PIXELS", maxImagePixels, 1, Long.MAX_VALUE);
    }
}
