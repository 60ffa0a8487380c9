package io.imgstream.application.fetch;

import io.imgstream.application.port.ImageCatalog;
import io.imgstream.application.port.ObjectStorage;
import io.imgstream.domain.ImageIds;
import io.imgstream.domain.ByteRange;
import io.imgstream.domain.Caller;
import io.imgstream.domain.ErrorCode;
import io.imgstream.domain.Filename;
import io.imgstream.domain.Image;
import io.imgstream.domain.ImageDetails;
import io.imgstream.domain.ImgStreamException;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Reading images back: keyset-paginated listing, metadata by id or by name, and the bytes. A user sees only
 * their own images; another user's id answers exactly like an id that does not exist.
 */
@Singleton
public class FetchImages {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;
    private static final String CURSOR_VERSION = "c1";

    private final ImageCatalog catalog;
    private final ObjectStorage storage;
    private final Duration signedUrlTtl;

    public FetchImages(ImageCatalog catalog, ObjectStorage storage,
                       @Value("${imgstream.signed-url-ttl:5m}") Duration signedUrlTtl) {
        this.catalog = catalog;
        this.storage = storage;
        this.signedUrlTtl = signedUrlTtl;
    }

    /** A page of images and the opaque cursor of the next one (null on the last page). */
    public record Page(List<ImageDetails> items, String nextCursor) {
    }

    /** Bytes to send: the whole image or one range of it. */
    public record Content(Image image, ByteRange range, InputStream body) {
        public long length() {
            return range == null ? image.sizeBytes() : range.length();
        }
    }

    public Page list(Caller caller, String prefix, String limitParameter, String cursor) {
        int limit = parseLimit(limitParameter);
        String keyPrefix = prefix == null || prefix.isEmpty() ? "" : Filename.prefixKey(prefix);
        if (keyPrefix.indexOf('\0') >= 0) {
            // PostgreSQL text cannot hold a NUL, and no filename contains one.
            throw new ImgStreamException(ErrorCode.INVALID_PARAMETER, "prefix holds a NUL character, which no filename contains.");
        }
        String afterKey = null;
        UUID afterId = null;
        if (cursor != null && !cursor.isEmpty()) {
            String[] position = decodeCursor(cursor);
            afterKey = position[0];
            afterId = UUID.fromString(position[1]);
        }
        List<ImageDetails> rows = catalog.listLive(caller.userId(), keyPrefix, afterKey, afterId, limit + 1);
        if (rows.size() <= limit) {
            return new Page(rows, null);
        }
        List<ImageDetails> items = rows.subList(0, limit);
        Image last = items.get(limit - 1).image();
        return new Page(items, encodeCursor(last.collisionKey(), last.id()));
    }

    /** An image, for serving its bytes. */
    public Image get(Caller caller, String imageId) {
        return catalog.findLiveById(caller.userId(), ImageIds.parse(imageId)).orElseThrow(ImageIds::notFound);
    }

    /** An image's metadata, with its copies. */
    public ImageDetails describe(Caller caller, String imageId) {
        return catalog.describeLiveById(caller.userId(), ImageIds.parse(imageId)).orElseThrow(ImageIds::notFound);
    }

    /** An image's metadata by name (collision-key match), with its copies. */
    public ImageDetails byName(Caller caller, String filename) {
        if (filename == null) {
            throw new ImgStreamException(ErrorCode.INVALID_FILENAME, "Give the name as ?filename=.");
        }
        Filename name = Filename.parse(filename);
        return catalog.describeLiveByKey(caller.userId(), name.collisionKey()).orElseThrow(ImageIds::notFound);
    }

    /**
     * Opens an image's bytes, or the range {@code rangeHeader} asks for.
     *
     * @throws ByteRange.Unsatisfiable when the range starts beyond the end
     */
    public Content open(Image image, String rangeHeader) {
        Optional<ByteRange> range = ByteRange.parse(rangeHeader, image.sizeBytes());
        long offset = range.map(ByteRange::first).orElse(0L);
        long length = range.map(ByteRange::length).orElse(-1L);
        InputStream body = storage.read(image.objectName(), offset, length).orElseThrow(FetchImages::bytesUnavailable);
        return new Content(image, range.orElse(null), body);
    }

    /**
     * What a HEAD of the bytes answers, without reading any: the range checked as {@link #open} checks it and the object
     * looked up, so HEAD and GET agree on the status. A read would fetch the first bytes from storage for nothing.
     *
     * @throws ByteRange.Unsatisfiable when the range starts beyond the end
     */
    public Content peek(Image image, String rangeHeader) {
        Optional<ByteRange> range = ByteRange.parse(rangeHeader, image.sizeBytes());
        storage.stat(image.objectName()).orElseThrow(FetchImages::bytesUnavailable);
        return new Content(image, range.orElse(null), InputStream.nullInputStream());
    }

    private static ImgStreamException bytesUnavailable() {
        return new ImgStreamException(ErrorCode.SERVICE_UNAVAILABLE, "The image's bytes are unavailable; retry later.");
    }

    /** A short-lived URL to the bytes, when the storage backend can sign one. */
    public Optional<URI> signedUrl(Image image, String contentDisposition) {
        return storage.signedReadUrl(image.objectName(), signedUrlTtl, image.contentType(), contentDisposition);
    }

    static int parseLimit(String value) {
        if (value == null || value.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value.trim());
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw new ImgStreamException(ErrorCode.INVALID_PARAMETER, "limit must be an integer from 1 to " + MAX_LIMIT + ".");
    }

    static String encodeCursor(String collisionKey, UUID id) {
        String raw = CURSOR_VERSION + "\n" + id + "\n" + collisionKey;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** @return the collision key and id of the position; a cursor that is not ours is a 400, never a 500 */
    static String[] decodeCursor(String cursor) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            String[] parts = raw.split("\n", 3);
            if (parts.length == 3 && parts[0].equals(CURSOR_VERSION) && parts[2].indexOf('\0') < 0) {
                UUID id = UUID.fromString(parts[1]);
                return new String[]{parts[2], id.toString()};
            }
        } catch (IllegalArgumentException ignored) {
            // answered below
        }
        throw new ImgStreamException(ErrorCode.INVALID_PARAMETER, "The cursor is not one this service issued.");
    }
}
