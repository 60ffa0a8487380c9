package io.imgstream.application.resumable;

import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import io.imgstream.adapter.jdbc.JdbcAdapters;
import io.imgstream.adapter.storage.GcsObjectStorage;
import io.imgstream.application.NameSuggestions;
import io.imgstream.application.PublishEvents;
import io.imgstream.application.port.ImageCatalog;
import io.imgstream.application.port.ObjectStorage;
import io.imgstream.application.port.ResumableUploadStore;
import io.imgstream.application.upload.UploadImage;
import io.imgstream.config.UploadLimits;
import io.imgstream.domain.Caller;
import io.imgstream.domain.ErrorCode;
import io.imgstream.domain.ImgStreamException;
import io.imgstream.domain.ResumableUpload;
import io.imgstream.dev.TestDatabase;
import io.imgstream.dev.TestImages;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The part-object path of resumable uploads on the GCS adapter (Google's LocalStorageHelper), with real PostgreSQL. */
class ResumableUploadsGcsTest {

    static final UUID USER = UUID.fromString("00000000-0000-0000-0000-0000000075a0");
    ObjectStorage storage;
    ResumableUploads uploads;
    Caller caller;
    byte[] image;

    @BeforeEach
    void setUp() {
        TestDatabase.truncateAll();
        TestDatabase.execute("insert into users (id, name) values ('" + USER + "', 'gcs')");
        storage = new GcsObjectStorage(LocalStorageHelper.getOptions().getService(), "tus-" + UUID.randomUUID());
        JdbcAdapters db = JdbcAdapters.testDatabase();
        UploadLimits limits = new UploadLimits(100_000, 100_000_000);
        UploadImage uploadImage = new UploadImage(db.bean(ImageCatalog.class), storage, db.bean(NameSuggestions.class),
                limits, db.bean(PublishEvents.class));
        uploads = new ResumableUploads(db.bean(ResumableUploadStore.class), storage, db.bean(ImageCatalog.class),
                uploadImage, limits, new ResumableSettings(10_000_000, 24, Duration.ofMinutes(6)), Clock.systemUTC());
        caller = new Caller(USER, UUID.randomUUID());
        BufferedImage noise = new BufferedImage(300, 200, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(1);
        for (int y = 0; y < 200; y++) {
            for (int x = 0; x < 300; x++) {
                noise.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        image = TestImages.write(noise, "png");
    }

    static String meta(String filename) {
        return "filename " + java.util.Base64.getEncoder().encodeToString(filename.getBytes());
    }

    ResumableUploads.Appended append(ResumableUpload upload, int from, int to) {
        return uploads.append(caller, upload.id().toString(), "application/offset+octet-stream", Integer.toString(from),
                null, to - from, new ByteArrayInputStream(Arrays.copyOfRange(image, from, to)));
    }

    List<String> objects(String prefix) {
        try (var s = storage.list(prefix)) {
            return s.map(ObjectStorage.StoredObject::name).toList();
        }
    }

    @Test
    void chunksBecomeTheImagesObjectAndThePartsGo() throws Exception {
        ResumableUpload upload = uploads.create(caller, Integer.toString(image.length), null, meta("gcs.png"));
        int third = image.length / 3;
        assertEquals(third, append(upload, 0, third).offset());
        assertEquals(2 * third, append(upload, third, 2 * third).offset());
        assertEquals(2, objects(upload.partPrefix()).size(), "one part object per acknowledged chunk");
        ResumableUploads.Appended last = append(upload, 2 * third, image.length);

        assertEquals(image.length, last.offset());
        assertTrue(objects(upload.partPrefix()).isEmpty(), "the parts are deleted at completion");
        try (InputStream in = storage.read(last.completed().image().objectName(), 0, -1).orElseThrow()) {
            assertArrayEquals(image, in.readAllBytes());
        }
        assertEquals(ResumableUpload.State.COMPLETE, uploads.find(caller, upload.id().toString()).state());
    }

    @Test
    void aChecksumMismatchLeavesNoPartAndTheOffset() {
        ResumableUpload upload = uploads.create(caller, Integer.toString(image.length), null, meta("summed.png"));
        ImgStreamException e = assertThrows(ImgStreamException.class, () -> uploads.append(caller, upload.id().toString(),
                "application/offset+octet-stream", "0", "sha1 AAAAAAAAAAAAAAAAAAAAAAAAAAA=", 1000,
                new ByteArrayInputStream(Arrays.copyOf(image, 1000))));
        assertEquals(ErrorCode.CHECKSUM_MISMATCH, e.code());
        assertTrue(objects(upload.partPrefix()).isEmpty());
        assertEquals(0, uploads.find(caller, upload.id().toString()).received());
    }

    @Test
    void terminationDeletesThePartsOnGcs() {
        ResumableUpload upload = uploads.create(caller, Integer.toString(image.length), null, meta("gone.png"));
        append(upload, 0, 5000);
        uploads.terminate(caller, upload.id().toString());
        assertTrue(objects(upload.partPrefix()).isEmpty());
        assertEquals(0, TestDatabase.count("select count(*) from resumable_uploads"));
    }
}
