package io.imgstream.application.thumbnail;

import io.imgstream.application.port.ImageCatalog;
import io.imgstream.application.port.ObjectStorage;
import io.imgstream.application.port.StorageUnavailableException;
import io.imgstream.application.port.ThumbnailRenderer;
import io.imgstream.domain.ImageIds;
import io.imgstream.domain.Caller;
import io.imgstream.domain.ErrorCode;
import io.imgstream.domain.Image;
import io.imgstream.domain.ImageFormat;
import io.imgstream.domain.ImgStreamException;
import io.imgstream.domain.ThumbnailSpec;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Thumbnails of a user's images: rendered once per image version and spec, kept in storage beside the image
 * ({@link #objectName}), served from there afterwards. A thumbnail's name and ETag follow from the version's content hash,
 * the spec and the renderer's revision, so a 304 needs no storage read, a new version never shows an old thumbnail, and
 * two renders of one thumbnail (two instances at once) write the same bytes under the same name: harmless, so no
 * cross-instance lock is taken (it would hold one of the few pooled connections for a whole render). Within an instance
 * concurrent first requests share one render. Renders run at most {@link ThumbnailSettings#concurrency()} at a time;
 * serving a cached thumbnail needs no slot.
 */
@Singleton
public class ServeThumbnails {

    private static final Logger LOG = LoggerFactory.getLogger(ServeThumbnails.class);
    /** Where thumbnails live: {@code users/{userId}/thumbnails/{imageId}/v{version}/{spec}-{revision}}. */
    public static final String SEGMENT = "thumbnails";

    private final ImageCatalog catalog;
    private final ObjectStorage storage;
    private final ThumbnailRenderer renderer;
    private final ThumbnailSettings settings;
    private final List<Integer> sizes;
    private final Semaphore slots;
    private final int slotCount;
    private final Map<String, CompletableFuture<Thumbnail>> inFlight = new ConcurrentHashMap<>();

    public ServeThumbnails(ImageCatalog catalog, ObjectStorage storage, ThumbnailRenderer renderer,
                           ThumbnailSettings settings) {
        this.catalog = catalog;
        this.storage = storage;
        this.renderer = renderer;
        this.settings = settings;
        this.sizes = settings.sizeList();
        this.slotCount = settings.concurrency();
        this.slots = new Semaphore(slotCount, true);
    }

    /**
     * One thumbnail, identified before it is read.
     *
     * @param versioned whether the request named the version ({@code v}): the answer is then immutable
     */
    public record Target(Image image, ThumbnailSpec spec, String objectName, String etag, boolean versioned) {
    }

    /** A thumbnail's bytes. */
    public record Thumbnail(byte[] bytes, String contentType) {
    }

    /**
     * The thumbnail a request names, checked: the image is this user's and live, the version (when named) current, the
     * spec one of the configured ones, and the type one that renders here.
     *
     * @param version the request's {@code v}, or null
     */
    public Target locate(Caller caller, String imageId, String size, String fit, String format, String version) {
        UUID id = ImageIds.parse(imageId);
        ThumbnailSpec spec = ThumbnailSpec.parse(size, fit, format, sizes);
        Integer wanted = null;
        if (version != null) {
            if (!version.matches("[0-9]{1,9}")) {
                throw new ImgStreamException(ErrorCode.INVALID_PARAMETER, "v must be an image version (a whole number);"
                        + " it is '" + version + "'.");
            }
            wanted = Integer.parseInt(version);
        }
        Image image = catalog.findLiveById(caller.userId(), id).orElseThrow(ImageIds::notFound);
        if (wanted != null && wanted != image.version()) {
            throw new ImgStreamException(ErrorCode.NOT_FOUND, "Version " + wanted + " of this image is no longer current"
                    + " (it is version " + image.version() + "); its thumbnails are gone with it.");
        }
        ImageFormat type = ImageFormat.fromContentType(image.contentType()).orElse(null);
        if (type == null || !renderer.canRender(type)) {
            throw new ImgStreamException(ErrorCode.THUMBNAIL_UNSUPPORTED, "Thumbnails of " + image.contentType()
                    + " images cannot be rendered here (no decoder for the type is installed); the content is served as"
                    + " stored at /images/" + image.id() + "/content.");
        }
        String key = spec.key() + "-" + renderer.revision();
        String etag = "\"" + image.sha256Hex() + "-" + image.version() + "-" + key + "\"";
        return new Target(image, spec, objectName(image, key), etag, version != null);
    }

    /** The thumbnail's bytes: from storage, else rendered (and stored) now. */
    public Thumbnail load(Target target) {
        Optional<Thumbnail> cached = cached(target.objectName());
        if (cached.isPresent()) {
            return cached.get();
        }
        CompletableFuture<Thumbnail> mine = new CompletableFuture<>();
        CompletableFuture<Thumbnail> running = inFlight.putIfAbsent(target.objectName(), mine);
        if (running != null) {
            return await(running);
        }
        try {
            Thumbnail made = render(target);
            mine.complete(made);
            return made;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(target.objectName(), mine);
        }
    }

    /**
     * Source pixels one render slot stands for. The heap a render needs is bounded whatever the source (the decode is
     * subsampled), but libjpeg holds a progressive JPEG's every coefficient in native memory (≈ 3 bytes a pixel: 291 MiB
     * for 100 Mpx, BENCHMARKS.md): a large source takes more slots, so two of them never render at once.
     */
    static final long PIXELS_PER_SLOT = 32_000_000;

    static int slotsFor(Image image, int slotCount) {
        if (image.width() == null || image.height() == null) {
            return 1;
        }
        long pixels = (long) image.width() * image.height();
        return (int) Math.min(slotCount, Math.max(1, (pixels + PIXELS_PER_SLOT - 1) / PIXELS_PER_SLOT));
    }

    private Thumbnail render(Target target) {
        int permits = slotsFor(target.image(), slotCount);
        boolean acquired;
        try {
            acquired = slots.tryAcquire(permits, settings.slotWait().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) {
            throw new ImgStreamException(ErrorCode.SERVICE_UNAVAILABLE, "Every thumbnail renderer of this instance is "
                    + "busy; retry shortly (thumbnails already made are served without waiting).");
        }
        try {
            Image image = target.image();
            ImageFormat type = ImageFormat.fromContentType(image.contentType()).orElseThrow();
            ThumbnailRenderer.Rendition rendition = renderer.render(source(image), type, target.spec());
            keep(target, rendition);
            return new Thumbnail(rendition.bytes(), rendition.contentType());
        } finally {
            slots.release(permits);
        }
    }

    /**
     * Stores the thumbnail, then its row (so cleanup deletes it with its version; an object without a row is an orphan
     * after the grace period), and the orientation the render read when the row has none yet. A failure of any of these
     * costs a later render, never this answer: it is logged and the thumbnail served.
     */
    private void keep(Target target, ThumbnailRenderer.Rendition rendition) {
        Image image = target.image();
        try {
            storage.write(target.objectName(), new ByteArrayInputStream(rendition.bytes()), rendition.contentType());
            catalog.recordThumbnail(image, target.objectName());
            if (image.orientation() == null) {
                catalog.recordOrientation(image, rendition.orientation());
            }
        } catch (RuntimeException e) {
            LOG.warn("Thumbnail {} not kept: {}", target.objectName(), e.toString());
        }
    }

    private Optional<Thumbnail> cached(String objectName) {
        Optional<InputStream> stream = storage.read(objectName, 0, -1);
        if (stream.isEmpty()) {
            return Optional.empty();
        }
        try (InputStream in = stream.get()) {
            byte[] bytes = in.readAllBytes();
            String type = ImageFormat.detect(bytes, Math.min(bytes.length, ImageFormat.SNIFF_BYTES))
                    .map(ImageFormat::contentType).orElse("application/octet-stream");
            return Optional.of(new Thumbnail(bytes, type));
        } catch (IOException e) {
            throw new StorageUnavailableException(e);
        }
    }

    private ThumbnailRenderer.Source source(Image image) {
        return new ThumbnailRenderer.Source() {
            @Override
            public long size() {
                return image.sizeBytes();
            }

            @Override
            public InputStream openAt(long offset) {
                return storage.read(image.objectName(), offset, -1).orElseThrow(() -> new ImgStreamException(
                        ErrorCode.SERVICE_UNAVAILABLE, "The image's bytes are unavailable; retry later."));
            }
        };
    }

    private Thumbnail await(CompletableFuture<Thumbnail> running) {
        try {
            return running.get(settings.slotWait().toMillis() + 60_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new ImgStreamException(ErrorCode.SERVICE_UNAVAILABLE, "The thumbnail is still being rendered; retry shortly.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImgStreamException(ErrorCode.SERVICE_UNAVAILABLE, "Interrupted; retry.");
        }
    }

    /** {@code users/{userId}/thumbnails/{imageId}/v{version}/{key}}: cleanup knows a thumbnail by this shape. */
    static String objectName(Image image, String key) {
        return "users/" + image.userId() + "/" + SEGMENT + "/" + image.id() + "/v" + image.version() + "/" + key;
    }
}
