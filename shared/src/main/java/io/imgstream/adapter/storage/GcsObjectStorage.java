package io.imgstream.adapter.storage;

import com.google.cloud.ReadChannel;
import com.google.cloud.WriteChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.HttpMethod;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import io.imgstream.application.port.ObjectStorage;
import io.imgstream.application.port.StorageUnavailableException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Objects in a Google Cloud Storage bucket. An object of less than one chunk is uploaded in one request; a larger one
 * is a resumable upload in bounded chunks, so memory stays flat whatever the image size. An upload that fails is never
 * finalised, so no partial object appears.
 */
public final class GcsObjectStorage implements ObjectStorage {

    /** Bytes buffered per upload request; a multiple of 256 KiB as GCS requires. */
    public static final int CHUNK_SIZE = 2 * 1024 * 1024;
    private static final int BUFFER = 64 * 1024;

    private final Supplier<Storage> client;
    private final String bucket;
    private volatile Storage storage;

    public GcsObjectStorage(Storage storage, String bucket) {
        this(() -> storage, bucket);
    }

    /**
     * The client is built on the first storage operation, not with this adapter: building it costs ≈ 0.3 s of class
     * loading and credential resolution, and a function's first request often needs no object (a listing, a metadata
     * read, a collision check), while the adapter is created with the first use case that holds it.
     */
    public GcsObjectStorage(Supplier<Storage> client, String bucket) {
        this.client = client;
        this.bucket = bucket;
    }

    private Storage storage() {
        Storage built = storage;
        if (built == null) {
            synchronized (this) {
                built = storage;
                if (built == null) {
                    try {
                        built = client.get();
                    } catch (RuntimeException e) { // no credentials or project: a 503 naming storage, tried again later
                        throw new StorageUnavailableException(e);
                    }
                    storage = built;
                }
            }
        }
        return built;
    }

    @Override
    public long write(String objectName, InputStream content, String contentType) {
        BlobInfo info = BlobInfo.newBuilder(BlobId.of(bucket, objectName)).setContentType(contentType).build();
        try {
            // An image that fits in one chunk goes up in one request: a resumable upload costs one more (opening the
            // session) and would buffer the same chunk before sending it anyway. (The deployed client retries this
            // create on transient errors: see ObjectStorageFactory.)
            byte[] head = new byte[CHUNK_SIZE];
            int headLength = content.readNBytes(head, 0, CHUNK_SIZE);
            if (headLength < CHUNK_SIZE) {
                storage().create(info, head, 0, headLength);
                return headLength;
            }
            WriteChannel channel = storage().writer(info);
            channel.setChunkSize(CHUNK_SIZE);
            // On failure the channel is deliberately not closed: closing would finalise a partial object.
            writeFully(channel, ByteBuffer.wrap(head));
            long written = headLength;
            byte[] buffer = new byte[BUFFER];
            int n;
            while ((n = content.readNBytes(buffer, 0, BUFFER)) > 0) {
                writeFully(channel, ByteBuffer.wrap(buffer, 0, n));
                written += n;
            }
            channel.close();
            return written;
        } catch (IOException | RuntimeException e) {
            discardPartial(objectName, e);
            throw e instanceof StorageException || e instanceof IOException ? new StorageUnavailableException(e)
                    : (RuntimeException) e;
        }
    }

    private static void writeFully(WriteChannel channel, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    /**
     * Real GCS never finalises an unclosed resumable upload, but fakes and emulators may show a placeholder;
     * the name is unique to this upload, so deleting it can hit nothing else.
     */
    private void discardPartial(String objectName, Exception cause) {
        try {
            storage().delete(BlobId.of(bucket, objectName));
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    /**
     * One request to GCS: the first bytes are read here, before the caller sends its status, so a missing object is
     * still an empty answer — without the metadata request a {@code get} before the read would cost (a round trip of
     * ≈ 10–40 ms to GCS on every content GET).
     */
    @Override
    public Optional<InputStream> read(String objectName, long offset, long length) {
        ReadChannel reader = null;
        try {
            reader = storage().reader(BlobId.of(bucket, objectName));
            reader.setChunkSize(BUFFER * 4);
            if (offset > 0) {
                reader.seek(offset);
            }
            if (length >= 0) {
                reader.limit(offset + length);
            }
            ByteBuffer first = ByteBuffer.allocate(BUFFER);
            int n;
            do {
                n = reader.read(first);
            } while (n == 0);
            InputStream head = new ByteArrayInputStream(first.array(), 0, first.position());
            return Optional.of(new SequenceInputStream(head, Channels.newInputStream(reader)));
        } catch (IOException | StorageException e) {
            if (reader != null) {
                reader.close();
            }
            if (notFound(e)) {
                return Optional.empty();
            }
            throw new StorageUnavailableException(e);
        }
    }

    /** The client reports a missing object as a 404, itself or as the cause of the channel's {@code IOException}. */
    private static boolean notFound(Exception e) {
        Throwable t = e instanceof StorageException ? e : e.getCause();
        return t instanceof StorageException se && se.getCode() == 404;
    }

    @Override
    public Optional<StoredObject> stat(String objectName) {
        try {
            Blob blob = storage().get(BlobId.of(bucket, objectName));
            return Optional.ofNullable(blob).map(GcsObjectStorage::toStoredObject);
        } catch (StorageException e) {
            throw new StorageUnavailableException(e);
        }
    }

    @Override
    public boolean delete(String objectName) {
        try {
            return storage().delete(BlobId.of(bucket, objectName));
        } catch (StorageException e) {
            throw new StorageUnavailableException(e);
        }
    }

    @Override
    public Stream<StoredObject> list(String prefix) {
        try {
            Iterable<Blob> blobs = storage().list(bucket, Storage.BlobListOption.prefix(prefix)).iterateAll();
            return StreamSupport.stream(blobs.spliterator(), false).map(GcsObjectStorage::toStoredObject);
        } catch (StorageException e) {
            throw new StorageUnavailableException(e);
        }
    }

    @Override
    public Optional<URI> signedReadUrl(String objectName, Duration ttl, String contentType, String contentDisposition) {
        try {
            BlobInfo info = BlobInfo.newBuilder(BlobId.of(bucket, objectName)).build();
            var url = storage().signUrl(info, ttl.toSeconds(), TimeUnit.SECONDS,
                    Storage.SignUrlOption.withV4Signature(),
                    Storage.SignUrlOption.httpMethod(HttpMethod.GET),
                    Storage.SignUrlOption.withQueryParams(Map.of(
                            "response-content-type", contentType,
                            "response-content-disposition", contentDisposition)));
            return Optional.of(url.toURI());
        } catch (IllegalStateException | java.net.URISyntaxException | StorageException e) {
            // No signing credentials (for example a user account locally): serve through the function instead.
            return Optional.empty();
        }
    }

    @Override
    public void probe() {
        try {
            storage().get(BlobId.of(bucket, ".health"));
        } catch (StorageException e) {
            throw new StorageUnavailableException(e);
        }
    }

    private static StoredObject toStoredObject(Blob blob) {
        Long created = blob.getCreateTime();
        return new StoredObject(blob.getName(), blob.getSize() == null ? 0 : blob.getSize(),
                created == null ? Instant.EPOCH : Instant.ofEpochMilli(created));
    }
}
