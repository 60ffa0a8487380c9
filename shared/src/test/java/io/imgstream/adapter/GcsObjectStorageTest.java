package io.imgstream.adapter;

import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import io.imgstream.adapter.storage.GcsObjectStorage;
import io.imgstream.application.port.ObjectStorage;
import org.junit.jupiter.api.BeforeEach;

/** The contract against Google's in-process fake of the same {@code Storage} client interface. */
class GcsObjectStorageTest extends ObjectStorageContract {

    private ObjectStorage storage;

    @BeforeEach
    void setUp() {
        storage = new GcsObjectStorage(LocalStorageHelper.getOptions().getService(), "imgstream-test");
    }

    @Override
    protected ObjectStorage storage() {
        return storage;
    }
}
