package io.imgstream.adapter.storage;

import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import com.google.cloud.storage.StorageRetryStrategy;
import io.imgstream.application.port.ObjectStorage;
import io.imgstream.config.StorageConfiguration;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.nio.file.Path;

/** Chooses the storage backend: the bucket when {@code GCS_BUCKET_NAME} is set, else the local directory. */
@Factory
class ObjectStorageFactory {

    static final String DEFAULT_LOCAL_DIR = ".imgstream/storage";

    @Singleton
    ObjectStorage objectStorage(StorageConfiguration config, BeanProvider<Storage> gcs) {
        if (config.usesBucket()) {
            return new GcsObjectStorage(gcs::get, config.bucket()); // the client on first use
        }
        String dir = config.localDir() == null || config.localDir().isBlank() ? DEFAULT_LOCAL_DIR : config.localDir();
        return new FilesystemObjectStorage(Path.of(dir));
    }

    /**
     * Built on first use only: resolving credentials and project costs a cold start dearly. Every request is retried on
     * transient errors, not only those the client can prove idempotent: a small image is one unconditional create
     * (the default policy would not retry it), and for this store a repeated create is harmless — an object name is
     * used by one upload only and a retry sends the same bytes; deletes and reads are idempotent anyway.
     */
    @Singleton
    @Requires(property = "imgstream.storage.bucket", pattern = ".+")
    Storage googleCloudStorage() {
        return StorageOptions.newBuilder()
                .setStorageRetryStrategy(StorageRetryStrategy.getUniformStorageRetryStrategy())
                .build().getService();
    }
}
