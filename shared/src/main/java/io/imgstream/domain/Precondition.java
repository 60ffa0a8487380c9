package io.imgstream.domain;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Predicate;

/**
 * The conditions of a conditional request (RFC 9110 §13.1): what the client last saw of the image it targets. A
 * change (overwrite, delete) under {@code If-Match: "<etag>"} happens only while the image is still that version, so
 * two clients editing one image cannot silently undo each other's work; {@code If-None-Match: *} makes an upload
 * create-only.
 *
 * @param ifMatch           the entity tags of {@code If-Match} ({@code *} for any), null when absent
 * @param ifUnmodifiedSince {@code If-Unmodified-Since}, null when absent or not a date (then ignored, as RFC 9110
 *                          §13.1.4 says)
 * @param ifNoneMatch       the entity tags of {@code If-None-Match}, null when absent; for a read it means "not
 *                          modified" and is the caller's business, for a change it is a condition here
 */
public record Precondition(List<String> ifMatch, Instant ifUnmodifiedSince, List<String> ifNoneMatch) {

    public static final Precondition NONE = new Precondition(null, null, null);

    public Precondition {
        ifMatch = ifMatch == null ? null : List.copyOf(ifMatch);
        ifNoneMatch = ifNoneMatch == null ? null : List.copyOf(ifNoneMatch);
    }

    public boolean isNone() {
        return ifMatch == null && ifUnmodifiedSince == null && ifNoneMatch == null;
    }

    /**
     * RFC 9110 §13.2.2 steps 1 and 2 for a read of a representation with these validators: {@code If-Match} by strong
     * comparison, or, without it, {@code If-Unmodified-Since} at second precision. False means 412.
     */
    public boolean allowsRead(String etag, Instant lastModified) {
        if (ifMatch != null) {
            return ifMatch.stream().anyMatch(tag -> tag.equals("*") || tag.equals(etag));
        }
        return ifUnmodifiedSince == null || !lastModified.truncatedTo(ChronoUnit.SECONDS).isAfter(ifUnmodifiedSince);
    }

    /**
     * Steps 1 to 3 for a change of the image whose current version is {@code current} (null when there is none, which
     * fails {@code If-Match} and passes {@code If-None-Match}). A tag names the image by its content's or its
     * metadata's ETag ({@link Image#isVersionNamedBy}); {@code If-None-Match} compares weakly. False means 412.
     */
    public boolean allowsChangeOf(Image current) {
        if (current == null) {
            return ifMatch == null;
        }
        if (ifMatch != null) {
            if (ifMatch.stream().noneMatch(tag -> tag.equals("*") || current.isVersionNamedBy(tag))) {
                return false;
            }
        } else if (!allowsRead(current.etag(), current.updatedAt())) {
            return false;
        }
        return !noneMatchNames(current::isVersionNamedBy);
    }

    /**
     * RFC 9110 §13.2.2 step 3 for a read: whether {@code If-None-Match} names this representation (weak comparison,
     * {@code *} names any), i.e. the answer is a 304.
     */
    public boolean notModified(String etag) {
        return noneMatchNames(etag::equals);
    }

    private boolean noneMatchNames(Predicate<String> names) {
        return ifNoneMatch != null && ifNoneMatch.stream()
                .anyMatch(tag -> tag.equals("*") || names.test(tag.startsWith("W/") ? tag.substring(2) : tag));
    }

    /** The 412 refusal of a write whose condition {@code current}, the live version, does not meet. */
    public static ImgStreamException failed(ImageDetails current) {
        return new ImgStreamException(ErrorCode.PRECONDITION_FAILED, "'" + current.image().filename() + "', ETag "
                + current.image().etag() + ", does not meet the request's If-Match, If-None-Match or If-Unmodified-Since;"
                + " nothing was changed.", current, null);
    }
}
