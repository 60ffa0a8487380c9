package io.imgstream.application.thumbnail;

import io.imgstream.adapter.imaging.ImageIoThumbnailRenderer;
import io.imgstream.adapter.jdbc.JdbcAdapters;
import io.imgstream.adapter.storage.FilesystemObjectStorage;
import io.imgstream.application.port.ImageCatalog;
import io.imgstream.application.port.ObjectStorage;
import io.imgstream.domain.Caller;
import io.imgstream.domain.ErrorCode;
import io.imgstream.domain.ImgStreamException;
import io.imgstream.dev.TestDatabase;
import io.imgstream.dev.TestImages;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The render slots: with every slot held by a render (its source read held open here), a further render is a 503
 * after the slot wait, stores nothing, and a kept thumbnail is still served at once.
 */
class ServeThumbnailsTest {

    static final UUID USER = UUID.fromString("00000000-0000-0000-0000-00000000a11e");

    @TempDir
    Path dir;

    /** The filesystem adapter whose reads of the image wait, once armed, until released. */
    static final class HeldReads implements ObjectStorage {
        final ObjectStorage real;
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile String held;

        HeldReads(ObjectStorage real) {
            this.real = real;
        }

        @Override
        public long write(String objectName, InputStream content, String contentType) {
            return real.write(objectName, content, contentType);
        }

        @Override
        public Optional<InputStream> read(String objectName, long offset, long length) {
            if (objectName.equals(held)) {
                entered.countDown();
                try {
                    assertTrue(release.await(30, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
            return real.read(objectName, offset, length);
        }

        @Override
        public Optional<StoredObject> stat(String objectName) {
            return real.stat(objectName);
        }

        @Override
        public boolean delete(String objectName) {
            return real.delete(objectName);
        }

        @Override
        public Stream<StoredObject> list(String prefix) {
            return real.list(prefix);
        }

        @Override
        public Optional<URI> signedReadUrl(String objectName, Duration ttl, String contentType, String disposition) {
            return real.signedReadUrl(objectName, ttl, contentType, disposition);
        }

        @Override
        public void probe() {
            real.probe();
        }
    }

    HeldReads storage;
    ServeThumbnails serve;
    Caller caller;
    String imageId;

    @BeforeEach
    void setUp() {
        TestDatabase.truncateAll();
        TestDatabase.execute("insert into users (id, name) values ('" + USER + "', 'slots')");
        storage = new HeldReads(new FilesystemObjectStorage(dir));
        byte[] png = TestImages.write(TestImages.quadrants(400, 300, false), "png");
        UUID id = UUID.randomUUID();
        String objectName = "users/" + USER + "/images/" + id + "/v1-a";
        storage.write(objectName, new ByteArrayInputStream(png), "image/png");
        TestDatabase.execute("insert into images (id, user_id, filename, collision_key, status, size_bytes, sha256,"
                + " content_type, object_name, width, height) values ('" + id + "', '" + USER + "', 'a.png', 'a.png', 'LIVE', "
                + png.length + ", sha256('a'), 'image/png', '" + objectName + "', 400, 300)");
        serve = new ServeThumbnails(JdbcAdapters.testDatabase().bean(ImageCatalog.class), storage,
                new ImageIoThumbnailRenderer(), new ThumbnailSettings("160,320,640", 1, Duration.ofMillis(300)));
        caller = new Caller(USER, UUID.randomUUID());
        imageId = id.toString();
        this.objectName = objectName;
    }

    String objectName;

    ServeThumbnails.Target target(String size) {
        return serve.locate(caller, imageId, size, null, null, null);
    }

    @Test
    void aLargeSourceTakesSeveralSlotsSoTwoNeverRenderAtOnce() throws Exception {
        // The row declares 100 megapixels (the bytes are small): it takes both of two slots.
        TestDatabase.execute("update images set width = 10000, height = 10000 where id = '" + imageId + "'");
        serve = new ServeThumbnails(JdbcAdapters.testDatabase().bean(ImageCatalog.class), storage,
                new ImageIoThumbnailRenderer(), new ThumbnailSettings("160,320,640", 2, Duration.ofMillis(300)));
        storage.held = objectName;
        CompletableFuture<ServeThumbnails.Thumbnail> big = CompletableFuture.supplyAsync(() -> serve.load(target("160")));
        assertTrue(storage.entered.await(30, TimeUnit.SECONDS));

        ImgStreamException busy = assertThrows(ImgStreamException.class, () -> serve.load(target("320")));
        assertEquals(ErrorCode.SERVICE_UNAVAILABLE, busy.code(), "the other slot is taken by the large source too");

        storage.release.countDown();
        assertTrue(big.get(30, TimeUnit.SECONDS).bytes().length > 0);
        storage.held = null;
        assertTrue(serve.load(target("320")).bytes().length > 0, "both slots are free again");
        assertEquals(1, ServeThumbnails.slotsFor(new io.imgstream.domain.Image(UUID.randomUUID(), USER, "a", "a",
                "image/jpeg", 1, new byte[32], 6000, 4000, 1, null, 1, null, null, "o"), 2), "24 Mpx: one slot");
    }

    @Test
    void aRenderThatCannotGetASlotIsA503AndAKeptThumbnailIsServedMeanwhile() throws Exception {
        serve.load(target("640"));
        storage.held = objectName;
        CompletableFuture<ServeThumbnails.Thumbnail> holding = CompletableFuture.supplyAsync(() -> serve.load(target("160")));
        assertTrue(storage.entered.await(30, TimeUnit.SECONDS), "the first render reads its source");

        ImgStreamException busy = assertThrows(ImgStreamException.class, () -> serve.load(target("320")));
        assertEquals(ErrorCode.SERVICE_UNAVAILABLE, busy.code());
        assertFalse(storage.stat(target("320").objectName()).isPresent(), "nothing stored for the refused render");
        assertTrue(serve.load(target("640")).bytes().length > 0, "a kept thumbnail needs no slot");

        storage.release.countDown();
        assertTrue(holding.get(30, TimeUnit.SECONDS).bytes().length > 0);
        assertTrue(storage.stat(target("160").objectName()).isPresent());
        assertEquals(2L, TestDatabase.count("select count(*) from thumbnails"));
        storage.held = null;
        assertTrue(serve.load(target("320")).bytes().length > 0, "the slot is free again");
    }
}
