package io.imgstream.application.port;

import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where image bytes live. Object names are chosen by the service (by image id and version), never by the
 * client, so an object is written once and never overwritten; correctness never depends on storage
 * preconditions, PostgreSQL arbitrates names.
 *
 * <p>Every method throws {@link StorageUnavailableException} when the backend cannot be reached.
 */
public interface ObjectStorage {

    /**
     * Streams {@code content} into a new object. The object becomes visible only once complete: a failed
     * write leaves nothing, or at worst an object no row points to, which cleanup removes.
     *
     * @return the number of bytes written
     */
    long write(String objectName, InputStream content, String contentType);

    /**
     * Opens the bytes {@code [offset, offset + length)} of an object; {@code length < 0} reads to the end.
     *
     * @return empty when the object does not exist
     */
    Optional<InputStream> read(String objectName, long offset, long length);

    /** The object's size and creation time, if it exists. */
    Optional<StoredObject> stat(String objectName);

    /** Deletes an object; an object already gone counts as success. @return whether it existed */
    boolean delete(String objectName);

    /** The objects whose names start with {@code prefix}, fetched lazily page by page. Close the stream. */
    Stream<StoredObject> list(String prefix);

    /**
     * A short-lived URL from which a client may read the object directly, when the backend can sign one.
     *
     * @return empty when this backend serves bytes only through the function
     */
    Optional<URI> signedReadUrl(String objectName, Duration ttl, String contentType, String contentDisposition);

    /** Checks that the backend answers; throws when it does not. */
    void probe();

    /**
     * Removes the leftovers of writes that never finished and were started before {@code cutoff} — a process killed in
     * the middle of an upload — where the backend keeps them outside the object names {@link #list} shows. A bucket
     * keeps none (an unfinished resumable upload is no object, and GCS expires its session), so by default there are
     * none.
     *
     * @param dryRun count, remove nothing
     * @return how many were (or, in a dry run, would be) removed
     */
    default long removeUnfinishedWrites(Instant cutoff, boolean dryRun) {
        return 0;
    }

    /** An object's listing entry. */
    record StoredObject(String name, long sizeBytes, Instant createdAt) {
    }
}
