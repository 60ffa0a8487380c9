package io.imgstream.upload;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.imgstream.application.upload.UploadCommand;
import io.imgstream.application.upload.UploadImage;
import io.imgstream.application.upload.UploadOutcome;
import io.imgstream.config.UploadLimits;
import io.imgstream.domain.Caller;
import io.imgstream.domain.ConflictPolicy;
import io.imgstream.domain.ErrorCode;
import io.imgstream.domain.ImgStreamException;
import io.imgstream.domain.Precondition;
import io.imgstream.web.BoundedRequest;
import io.imgstream.web.ImageView;
import io.imgstream.web.MultipartFiles;
import io.imgstream.web.Problem;
import io.imgstream.web.ProblemResponses;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.inject.Singleton;
import org.apache.commons.fileupload2.core.FileItemInput;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A multipart/form-data {@code POST /images}: each {@code file} part is one {@link UploadImage#upload} with its own
 * answer, in request order. The request as a whole is bounded by {@code MAX_UPLOAD_BYTES} ({@link BoundedRequest}); an
 * {@code onConflict} form field before the file parts sets their policy (what an HTML form can send).
 */
@Singleton
public class MultipartUploads {

    static final String ON_CONFLICT = "onConflict";
    private static final int FIELD_BYTES = 64;

    private final UploadImage uploadImage;
    private final UploadLimits limits;

    public MultipartUploads(UploadImage uploadImage, UploadLimits limits) {
        this.uploadImage = uploadImage;
        this.limits = limits;
    }

    /** 201 when the upload stored a new image, 200 for a replacement, a skip or an idempotent retry. */
    static int status(UploadOutcome outcome) {
        return outcome.created() ? 201 : 200;
    }

    /**
     * {@code queryPolicy} is null when the query string names none: then an {@code onConflict} form field before the file
     * parts sets it, and one after a file part is answered, not ignored.
     */
    public PartResults upload(HttpRequest<?> request, Caller caller, @Nullable ConflictPolicy queryPolicy,
                              Precondition precondition, String contentType, InputStream body) throws IOException {
        BoundedRequest bounded = BoundedRequest.of(body, request.getContentLength(), limits.maxUploadBytes());
        List<PartResult> results = new ArrayList<>();
        ConflictPolicy policy = queryPolicy == null ? ConflictPolicy.REJECT : queryPolicy;
        boolean policyField = false;
        ImgStreamException unavailable = null;
        try {
            MultipartFiles.Parts parts = MultipartFiles.open(bounded, contentType, request.getContentLength());
            while (!bounded.exceeded() && parts.hasNext()) {
                FileItemInput part = parts.next();
                if (ON_CONFLICT.equals(part.getFieldName()) && part.isFormField()) {
                    String refusal = queryPolicy != null || policyField
                            ? "Give onConflict once: as ?onConflict= or as one form field before the file parts."
                            : results.isEmpty() ? null : "The onConflict field came after file parts, which were stored "
                            + "under " + policy.name().toLowerCase(Locale.ROOT) + "; send it before them, or as ?onConflict=.";
                    policyField = true;
                    if (refusal == null) {
                        policy = ConflictPolicy.parse(fieldValue(part));
                        continue;
                    }
                    ImgStreamException refused = new ImgStreamException(ErrorCode.INVALID_PARAMETER, refusal);
                    if (results.isEmpty()) {
                        throw refused; // nothing is stored yet: the request is refused whole
                    }
                    results.add(problem(request, refused));
                    continue;
                }
                if (!"file".equals(part.getFieldName())) {
                    continue;
                }
                // A 'file' part without a filename (curl -F 'file=<photo.jpg' sends one) gets its own answer, not
                // silence: the client meant it as a file.
                PartResult result = part.isFormField() ? problem(request, new ImgStreamException(ErrorCode.INVALID_FILENAME,
                        "A 'file' part needs a filename: Content-Disposition: form-data; name=\"file\"; filename=\"…\"."))
                        : unavailable != null ? problem(request, unavailable)
                        : uploadPart(request, caller, policy, precondition, part);
                results.add(result);
                if (result.status() == ErrorCode.SERVICE_UNAVAILABLE.status() && unavailable == null) {
                    // A dependency did not answer within its bound: the later parts would each wait as long again, so
                    // the request stays within one bound and they are answered (not stored) at once.
                    unavailable = new ImgStreamException(ErrorCode.SERVICE_UNAVAILABLE, "Not attempted: an earlier"
                            + " file of this request found the service unavailable; retry this file later.");
                }
            }
        } catch (ImgStreamException e) {
            // The request went past the limit between parts: the parts stored so far stay, and their answers with them.
            if (!bounded.exceeded()) {
                throw e;
            }
            results.add(problem(request, e));
        } catch (IOException e) {
            if (e.getClass().getName().startsWith("org.apache.commons.fileupload2")) {
                throw new ImgStreamException(ErrorCode.BAD_REQUEST, "The multipart body is malformed.", e);
            }
            throw e;
        }
        if (bounded.exceeded() && results.stream().allMatch(r -> r.image() == null)) {
            // Nothing was stored: the request as a whole is refused, as one that declared its size would be.
            throw bounded.refusal();
        }
        if (results.isEmpty()) {
            throw new ImgStreamException(ErrorCode.BAD_REQUEST, "The multipart body holds no 'file' part.");
        }
        return new PartResults(results);
    }

    /** A form field's value, UTF-8; a policy name is short, so more than 64 bytes cannot be one. */
    private static String fieldValue(FileItemInput part) throws IOException {
        try (InputStream in = part.getInputStream()) {
            byte[] value = in.readNBytes(FIELD_BYTES + 1);
            if (value.length > FIELD_BYTES) {
                throw new ImgStreamException(ErrorCode.INVALID_PARAMETER,
                        "onConflict must be one of reject, overwrite, rename, skip.");
            }
            return new String(value, StandardCharsets.UTF_8);
        }
    }

    private PartResult uploadPart(HttpRequest<?> request, Caller caller, ConflictPolicy policy, Precondition precondition,
                                  FileItemInput part) throws IOException {
        try (InputStream in = part.getInputStream()) {
            UploadOutcome outcome = uploadImage.upload(new UploadCommand(caller,
                    part.getName() == null ? "" : part.getName(), in, -1, policy, precondition));
            return new PartResult(status(outcome), ImageView.of(outcome.image(), outcome.sameContentAs()), null);
        } catch (ImgStreamException e) {
            return problem(request, e);
        }
    }

    private static PartResult problem(HttpRequest<?> request, ImgStreamException e) {
        return new PartResult(e.code().status(), null, ProblemResponses.body(e, request));
    }

    /** One entry of a multipart answer: the image, or the problem of that part. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL) // absent, never null: nullable = false in the document
    @Schema(name = "PartResult", description = "One file part's answer: the image, or the part's problem (its codes "
            + "are UploadImageProblem's)")
    public record PartResult(@Schema(description = "The HTTP status this part alone would have had") int status,
                             @Schema(nullable = false) @Nullable ImageView image,
                             @Schema(nullable = false) @Nullable Problem problem) {
    }

    /** The multipart answer, one entry per file part, in request order. */
    @Serdeable
    @Schema(name = "PartResults", description = "A multipart upload's answer: one entry per file part, in order")
    public record PartResults(List<PartResult> results) {
    }
}
