package io.imgstream.application.resumable;

import io.imgstream.application.port.ImageCatalog;
import io.imgstream.application.port.ObjectStorage;
import io.imgstream.application.port.ResumableUploadStore;
import io.imgstream.application.upload.ClientStreamException;
import io.imgstream.application.upload.GuardedBodyStream;
import io.imgstream.application.upload.PayloadTooLargeException;
import io.imgstream.application.upload.UploadCommand;
import io.imgstream.application.upload.UploadImage;
import io.imgstream.application.upload.UploadOutcome;
import io.imgstream.config.UploadLimits;
import io.imgstream.domain.Caller;
import io.imgstream.domain.ConflictPolicy;
import io.imgstream.domain.ErrorCode;
import io.imgstream.domain.Filename;
import io.imgstream.domain.ImageDetails;
import io.imgstream.domain.ImgStreamException;
import io.imgstream.domain.Precondition;
import io.imgstream.domain.ResumableUpload;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Resumable uploads (tus 1.0.0) as use cases: create, status, append a chunk, terminate. A chunk is streamed into a
 * part object of its own under the upload's prefix and counted only when stored whole (and its checksum, if given,
 * matched), so a dropped connection loses at most that chunk and {@code HEAD} always tells the truth. One writer per
 * upload across instances: a lease in the upload's row. The chunk that completes the upload hands the parts, read
 * once in order, to {@link UploadImage} — the one code path of {@code POST /images}: magic bytes, pixel limit,
 * SHA-256, the policy and its events — and the parts are deleted whatever it decides.
 */
@Singleton
public class ResumableUploads {

    private static final Logger LOG = LoggerFactory.getLogger(ResumableUploads.class);
    public static final String VERSION = "1.0.0";
    public static final String EXTENSIONS = "creation,creation-with-upload,termination,expiration,checksum";
    public static final List<String> CHECKSUMS = List.of("sha1", "sha256", "md5");
    public static final String CHUNK_TYPE = "application/offset+octet-stream";

    private final ResumableUploadStore store;
    private final ObjectStorage storage;
    private final ImageCatalog catalog;
    private final UploadImage uploadImage;
    private final UploadLimits limits;
    private final ResumableSettings settings;
    private final Clock clock;

    public ResumableUploads(ResumableUploadStore store, ObjectStorage storage, ImageCatalog catalog,
                            UploadImage uploadImage, UploadLimits limits, ResumableSettings settings,
                            Clock clock) {
        this.store = store;
        this.storage = storage;
        this.catalog = catalog;
        this.uploadImage = uploadImage;
        this.limits = limits;
        this.settings = settings;
        this.clock = clock;
    }

    public long maxBytes() {
        return settings.maxBytes();
    }

    /** What a chunk appended: the new offset, and the image when it completed the upload. */
    public record Appended(ResumableUpload upload, long offset, UploadOutcome completed) {
    }

    /**
     * A new upload, refused before any byte for a bad length or name, or under {@code reject} a name that a live image
     * or another unfinished upload holds.
     */
    public ResumableUpload create(Caller caller, String length, String deferLength, String metadata) {
        if (deferLength != null) {
            throw new ImgStreamException(ErrorCode.INVALID_PARAMETER, "Upload-Defer-Length is not supported here (the"
                    + " creation-defer-length extension is not offered): send Upload-Length with the file's size.");
        }
        long bytes = wholeNumber("Upload-Length", length);
        if (bytes == 0) {
            throw new ImgStreamException(ErrorCode.EMPTY_FILE, "Upload-Length is 0: an image has bytes.");
        }
        if (bytes > settings.maxBytes()) {
            throw new ImgStreamException(ErrorCode.PAYLOAD_TOO_LARGE, "Upload-Length is " + bytes + "; a resumable"
                    + " upload may hold at most " + settings.maxBytes() + " bytes (Tus-Max-Size, MAX_RESUMABLE_BYTES).");
        }
        Map<String, String> meta = metadata(metadata);
        String filename = meta.get("filename");
        if (filename == null) {
            throw new ImgStreamException(ErrorCode.INVALID_FILENAME, "Upload-Metadata needs filename (base64, as tus"
                    + " says: Upload-Metadata: filename cGhvdG8uanBn).");
        }
        Filename name = Filename.parse(filename);
        ConflictPolicy policy = ConflictPolicy.parse(meta.get("onConflict"));
        UUID userId = caller.userId();
        if (policy == ConflictPolicy.REJECT) {
            Optional<ImageDetails> existing = catalog.describeLiveByKey(userId, name.collisionKey());
            if (existing.isPresent()) {
                throw new ImgStreamException(ErrorCode.FILENAME_CONFLICT, "An image named '"
                        + existing.get().image().filename() + "' exists; choose onConflict=overwrite, rename or skip.",
                        existing.get(), null);
            }
        }
        return store.create(new ResumableUpload(UUID.randomUUID(), userId, name.display(), name.collisionKey(), policy,
                bytes, 0, List.of(), ResumableUpload.State.UPLOADING, null, null, null,
                clock.instant().plus(Duration.ofHours(settings.expiryHours()))));
    }

    /** This user's upload; another user's, an expired or a terminated one is 404, like an id nobody holds. */
    public ResumableUpload find(Caller caller, String uploadId) {
        return store.find(caller.userId(), id(uploadId)).orElseThrow(ResumableUploads::notFound);
    }

    /** The image a completed upload became, if it is still live. */
    public Optional<ImageDetails> image(Caller caller, ResumableUpload upload) {
        return upload.imageId() == null ? Optional.empty() : catalog.describeLiveById(caller.userId(), upload.imageId());
    }

    /**
     * Appends one chunk at {@code offset}.
     *
     * @param contentLength the request's declared length, or -1
     * @param checksum      {@code Upload-Checksum} ("sha1 base64"), or null
     */
    public Appended append(Caller caller, String uploadId, String contentType, String offset, String checksum,
                           long contentLength, InputStream body) {
        UUID id = id(uploadId);
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith(CHUNK_TYPE)) {
            throw new ImgStreamException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "A chunk is sent as Content-Type: "
                    + CHUNK_TYPE + (contentType == null ? "." : "; this one is " + contentType + "."));
        }
        long at = wholeNumber("Upload-Offset", offset);
        Checksum expected = checksum == null ? null : Checksum.parse(checksum);
        long maxChunk = limits.maxUploadBytes();
        if (contentLength > maxChunk) {
            throw new ImgStreamException(ErrorCode.PAYLOAD_TOO_LARGE, "A chunk may hold at most " + maxChunk
                    + " bytes (MAX_UPLOAD_BYTES, Cloud Run's request limit); send smaller chunks.");
        }
        UUID token = UUID.randomUUID();
        ResumableUpload upload = store.lease(caller.userId(), id, token, settings.lease())
                .orElseThrow(() -> whyNoLease(caller, id));
        String part = null;
        boolean counted = false;
        try {
            if (upload.received() != at) {
                throw offsetMismatch(upload, at);
            }
            long remaining = upload.length() - upload.received();
            if (contentLength > remaining) {
                throw beyondLength(upload, contentLength);
            }
            part = upload.partPrefix() + String.format("%019d-%s", at, token);
            // Hashed only when the client sent a checksum: the whole file's SHA-256 is taken once, at completion.
            GuardedBodyStream chunk = new GuardedBodyStream(body, Math.min(remaining, maxChunk),
                    expected == null ? null : expected.digest());
            try {
                storage.write(part, chunk, "application/octet-stream");
            } catch (RuntimeException e) {
                throw chunkFailure(e, upload, remaining, maxChunk);
            }
            if (expected != null && !MessageDigest.isEqual(expected.value(), chunk.sha256())) {
                throw new ImgStreamException(ErrorCode.CHECKSUM_MISMATCH, "The chunk's " + expected.algorithm()
                        + " does not match Upload-Checksum; it was discarded and the offset stays " + at + ".");
            }
            long received = at + chunk.count();
            if (chunk.count() == 0) {
                store.release(id, token);
                counted = true;
                storage.delete(part);
                return new Appended(upload, at, null);
            }
            if (received < upload.length()) {
                if (!store.advance(id, token, received, part)) {
                    throw busy();
                }
                counted = true;
                return new Appended(upload, received, null);
            }
            List<String> parts = new ArrayList<>(upload.partNames());
            parts.add(part);
            UploadOutcome outcome = complete(caller, upload, token, parts);
            counted = true;
            return new Appended(upload, received, outcome);
        } finally {
            if (!counted) {
                store.release(id, token);
                if (part != null) {
                    storage.delete(part);
                }
            }
        }
    }

    /** Terminates an upload: its row, its name reservation and its bytes are gone. */
    public void terminate(Caller caller, String uploadId) {
        UUID id = id(uploadId);
        if (!store.delete(caller.userId(), id)) {
            throw notFound();
        }
        deleteParts(ResumableUpload.partPrefix(caller.userId(), id));
    }

    /** Deletes every object under an upload's prefix (cleanup and termination). @return how many */
    public long deleteParts(String prefix) {
        long deleted = 0;
        try (var parts = storage.list(prefix)) {
            for (var part : (Iterable<ObjectStorage.StoredObject>) parts::iterator) {
                if (storage.delete(part.name())) {
                    deleted++;
                }
            }
        }
        return deleted;
    }

    /**
     * The last chunk is stored: the parts, read once in order, go through the one upload path. A refusal of the rules
     * (415, 422, 409…) ends the upload as failed; the database or storage not answering (503) leaves it as it was
     * before this chunk, so the client resends the chunk. Either way the parts are deleted once decided.
     */
    private UploadOutcome complete(Caller caller, ResumableUpload upload, UUID token, List<String> parts) {
        UploadOutcome outcome;
        try {
            outcome = uploadImage.upload(new UploadCommand(caller, upload.filename(), concatenated(parts),
                    upload.length(), upload.policy(), Precondition.NONE, settings.maxBytes()));
        } catch (ImgStreamException e) {
            if (e.code() == ErrorCode.SERVICE_UNAVAILABLE) {
                throw e;
            }
            store.finish(upload.id(), token, upload.length(), ResumableUpload.State.FAILED, null, e.code().code(),
                    e.detail());
            deleteParts(upload.partPrefix());
            throw e;
        }
        if (!store.finish(upload.id(), token, upload.length(), ResumableUpload.State.COMPLETE, outcome.image().id(),
                null, null)) {
            LOG.warn("Resumable upload {} stored image {} but lost its lease before recording it", upload.id(),
                    outcome.image().id());
        }
        deleteParts(upload.partPrefix());
        return outcome;
    }

    private InputStream concatenated(List<String> parts) {
        Iterator<String> names = parts.iterator();
        return new SequenceInputStream(new java.util.Enumeration<>() {
            @Override
            public boolean hasMoreElements() {
                return names.hasNext();
            }

            @Override
            public InputStream nextElement() {
                String name = names.next();
                return storage.read(name, 0, -1).orElseThrow(() -> new ImgStreamException(ErrorCode.SERVICE_UNAVAILABLE,
                        "A stored part of this upload is unavailable; retry the last chunk."));
            }
        });
    }

    private ImgStreamException whyNoLease(Caller caller, UUID id) {
        ResumableUpload upload = store.find(caller.userId(), id).orElseThrow(ResumableUploads::notFound);
        if (upload.state() != ResumableUpload.State.UPLOADING) {
            return new ImgStreamException(ErrorCode.UPLOAD_FINISHED, "This upload is " + upload.state().name()
                    .toLowerCase(Locale.ROOT) + "; it takes no more bytes (GET /uploads/" + id + " tells how it ended).");
        }
        return busy();
    }

    private static ImgStreamException busy() {
        return new ImgStreamException(ErrorCode.UPLOAD_BUSY, "Another request is writing this upload; one writer at a"
                + " time. Ask HEAD for the offset and continue from there.");
    }

    private static ImgStreamException offsetMismatch(ResumableUpload upload, long at) {
        return new ImgStreamException(ErrorCode.UPLOAD_OFFSET_MISMATCH, "Upload-Offset is " + at + " but the upload"
                + " holds " + upload.received() + " bytes; send the chunk from offset " + upload.received() + ".");
    }

    private static ImgStreamException beyondLength(ResumableUpload upload, long bytes) {
        return new ImgStreamException(ErrorCode.PAYLOAD_TOO_LARGE, "The chunk holds " + bytes + " bytes but only "
                + (upload.length() - upload.received()) + " remain of Upload-Length " + upload.length() + "; nothing was stored.");
    }

    private static ImgStreamException chunkFailure(RuntimeException e, ResumableUpload upload, long remaining,
                                                   long maxChunk) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PayloadTooLargeException) {
                return remaining <= maxChunk ? beyondLength(upload, remaining + 1)
                        : new ImgStreamException(ErrorCode.PAYLOAD_TOO_LARGE, "A chunk may hold at most " + maxChunk
                        + " bytes (MAX_UPLOAD_BYTES); nothing of it was stored.");
            }
            if (t instanceof ClientStreamException) {
                return new ImgStreamException(ErrorCode.BAD_REQUEST, "The chunk ended before its body was complete;"
                        + " nothing of it was stored. Ask HEAD for the offset and resend from there.", e);
            }
        }
        return e instanceof ImgStreamException refusal ? refusal
                : new ImgStreamException(ErrorCode.SERVICE_UNAVAILABLE, "The chunk could not be stored; resend it.", e);
    }

    static UUID id(String uploadId) {
        try {
            UUID id = UUID.fromString(uploadId);
            if (!id.toString().equals(uploadId.toLowerCase(Locale.ROOT))) {
                throw notFound();
            }
            return id;
        } catch (IllegalArgumentException e) {
            throw notFound();
        }
    }

    static ImgStreamException notFound() {
        return new ImgStreamException(ErrorCode.NOT_FOUND, "No such upload (it may have expired or been terminated).");
    }

    private static long wholeNumber(String header, String value) {
        if (value == null) {
            throw new ImgStreamException(ErrorCode.INVALID_PARAMETER, header + " is required.");
        }
        if (!value.matches("[0-9]{1,18}")) {
            throw new ImgStreamException(ErrorCode.INVALID_PARAMETER, header + " must be a whole number of bytes;"
                    + " it is '" + value + "'.");
        }
        return Long.parseLong(value);
    }

    /** tus's {@code Upload-Metadata}: comma separated {@code key base64value} pairs (a key alone means empty). */
    static Map<String, String> metadata(String header) {
        Map<String, String> out = new LinkedHashMap<>();
        if (header == null || header.isBlank()) {
            return out;
        }
        for (String pair : header.split(",")) {
            String[] kv = pair.trim().split(" ");
            if (kv.length == 0 || kv.length > 2 || kv[0].isEmpty()) {
                throw new ImgStreamException(ErrorCode.INVALID_PARAMETER, "Upload-Metadata must be comma separated"
                        + " 'key base64value' pairs; '" + pair.trim() + "' is not one.");
            }
            String value = "";
            if (kv.length == 2) {
                try {
                    value = new String(Base64.getDecoder().decode(kv[1]), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw new ImgStreamException(ErrorCode.INVALID_PARAMETER, "Upload-Metadata value of " + kv[0]
                            + " is not base64.");
                }
            }
            if (out.put(kv[0], value) != null) {
                throw new ImgStreamException(ErrorCode.INVALID_PARAMETER, "Upload-Metadata names " + kv[0] + " twice.");
            }
        }
        return Collections.unmodifiableMap(out);
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(switch (algorithm) {
                case "sha1" -> "SHA-1";
                case "sha256" -> "SHA-256";
                default -> "MD5";
            });
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code Upload-Checksum: sha1 <base64>}. */
    record Checksum(String algorithm, byte[] value) {

        static Checksum parse(String header) {
            String[] parts = header.trim().split(" ");
            if (parts.length != 2 || !CHECKSUMS.contains(parts[0].toLowerCase(Locale.ROOT))) {
                throw new ImgStreamException(ErrorCode.INVALID_PARAMETER, "Upload-Checksum must be '<algorithm> <base64>'"
                        + " with one of " + String.join(", ", CHECKSUMS) + " (Tus-Checksum-Algorithm).");
            }
            try {
                return new Checksum(parts[0].toLowerCase(Locale.ROOT), Base64.getDecoder().decode(parts[1]));
            } catch (IllegalArgumentException e) {
                throw new ImgStreamException(ErrorCode.INVALID_PARAMETER, "Upload-Checksum's value is not base64.");
            }
        }

        MessageDigest digest() {
            return ResumableUploads.digest(algorithm);
        }
    }
}
