package io.imgstream.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * Where the bytes live: the GCS bucket {@code GCS_BUCKET_NAME}, or outside production a directory
 * ({@code LOCAL_STORAGE_DIR}, default {@code ./.imgstream/storage}) holding one plain file per object.
 */
@ConfigurationProperties("imgstream.storage")
public record StorageConfiguration(@Nullable String bucket, @Nullable String localDir) {

    public boolean usesBucket() {
        return bucket != null && !bucket.isBlank();
    }
}
