package io.imgstream.upload;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.imgstream.application.upload.BoundedRequest;
import io.imgstream.application.upload.DeleteImage;
import io.imgstream.application.upload.UploadCommand;
import io.imgstream.application.upload.UploadImage;
import io.imgstream.application.upload.UploadOutcome;
import io.imgstream.config.ImgStreamConfiguration;
import io.imgstream.domain.Caller;
import io.imgstream.domain.ConflictPolicy;
import io.imgstream.domain.ErrorCode;
import io.imgstream.domain.ImgStreamException;
import io.imgstream.domain.Precondition;
import io.imgstream.web.ConditionalHeaders;
import io.imgstream.web.ImageView;
import io.imgstream.web.MultipartFiles;
import io.imgstream.web.Problem;
import io.imgstream.web.QueryString;
import io.imgstream.web.RequestBodies;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.serde.annotation.Serdeable;
import io.imgstream.web.ApiProblems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.apache.commons.fileupload2.core.FileItemInput;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code POST /images} (a raw image body with {@code ?filename=}, or multipart/form-data {@code file}
 * parts) and {@code DELETE /images/{id}}. Thin: request → command → {@link UploadImage} → response.
 */
@Controller("/images")
@SecurityRequirement(name = "bearer")
@SecurityRequirement(name = "apiKey")
@Tag(name = "images")
@ApiResponse(responseCode = "401", description = "No key, or a malformed, unknown or revoked one",
        headers = @Header(name = "WWW-Authenticate", schema = @Schema(type = "string")),
        content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = ApiProblems.Unauthorized.class)))
@ApiResponse(responseCode = "403", description = "A browser origin not in ALLOWED_ORIGINS",
        content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = ApiProblems.Forbidden.class)))
@ApiResponse(responseCode = "500", description = "An unexpected failure (no detail leaks)",
        content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = ApiProblems.Internal.class)))
@ApiResponse(responseCode = "503", description = "The database or storage did not answer in time; retry",
        headers = @Header(name = "Retry-After", schema = @Schema(type = "integer")),
        content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = ApiProblems.Unavailable.class)))
public class UploadController {

    private static final String ON_CONFLICT = "onConflict";
    private static final int FIELD_BYTES = 64;

    private final UploadImage uploadImage;
    private final DeleteImage deleteImage;
    private final ImgStreamConfiguration config;

    public UploadController(UploadImage uploadImage, DeleteImage deleteImage, ImgStreamConfiguration config) {
        this.uploadImage = uploadImage;
        this.deleteImage = deleteImage;
        this.config = config;
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

    @Operation(operationId = "uploadImage", summary = "Upload images: a raw body with ?filename=, or multipart file parts",
            description = "Under onConflict=reject a name that collides (case- and normalisation-insensitively) with a "
                    + "live image is a 409 whose problem holds the existing image; re-sending the same bytes under the "
                    + "same name is an idempotent 200 under every policy.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = {
                    @Content(mediaType = "application/octet-stream", schema = @Schema(type = "string", format = "binary")),
                    @Content(mediaType = "image/*", schema = @Schema(type = "string", format = "binary")),
                    @Content(mediaType = "multipart/form-data", schema = @Schema(implementation = UploadApi.MultipartUpload.class))}),
            parameters = {
                    @Parameter(name = "filename", in = ParameterIn.QUERY, description = "The name of a raw body (percent-encoded); "
                    + "not with multipart", schema = @Schema(type = "string", maxLength = 255)),
                    @Parameter(name = "onConflict", in = ParameterIn.QUERY, description = "What a colliding name does",
                    schema = @Schema(type = "string", allowableValues = {"reject", "overwrite", "rename", "skip"}, defaultValue = "reject")),
                    @Parameter(name = "If-Match", in = ParameterIn.HEADER, description = "Overwrite only this version (its ETag)",
                    schema = @Schema(type = "string")),
                    @Parameter(name = "If-None-Match", in = ParameterIn.HEADER, description = "* : only when the name is free",
                    schema = @Schema(type = "string"))})
    @ApiResponse(responseCode = "200", description = "Overwritten, skipped or an idempotent retry (raw body): the image; "
            + "a multipart upload: one result per part",
            headers = @Header(name = "ETag", description = "The stored version's strong ETag (raw body)", schema = @Schema(type = "string")),
            content = @Content(mediaType = "application/json", schema = @Schema(oneOf = {ImageView.class, PartResults.class})))
    @ApiResponse(responseCode = "201", description = "Stored as a new image",
            headers = {@Header(name = "Location", description = "The image's metadata URL", schema = @Schema(type = "string", format = "uri-reference")),
                    @Header(name = "ETag", description = "The stored version's strong ETag", schema = @Schema(type = "string"))},
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ImageView.class)))
    @ApiResponse(responseCode = "400", description = "Bad name, empty body, bad parameter or malformed multipart",
            content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = UploadApi.UploadProblem.class)))
    @ApiResponse(responseCode = "409", description = "filename_conflict: the name is taken (the problem's existing is the image)",
            content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = UploadApi.UploadProblem.class)))
    @ApiResponse(responseCode = "412", description = "If-Match / If-None-Match did not hold",
            content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = UploadApi.UploadProblem.class)))
    @ApiResponse(responseCode = "413", description = "Body over MAX_UPLOAD_BYTES",
            content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = UploadApi.UploadProblem.class)))
    @ApiResponse(responseCode = "415", description = "Not JPEG, PNG, GIF, WebP, HEIC/HEIF, AVIF, TIFF or BMP by its bytes, or "
            + "sent with a content coding",
            headers = @Header(name = "Accept-Encoding", description = "identity, when the body came with a content coding", schema = @Schema(type = "string")),
            content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = UploadApi.UploadProblem.class)))
    @ApiResponse(responseCode = "422", description = "image_too_large: more pixels than MAX_IMAGE_PIXELS",
            content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = UploadApi.UploadProblem.class)))
    @Post(consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    public HttpResponse<?> upload(HttpRequest<?> request, @RequestAttribute(Caller.ATTRIBUTE) Caller caller)
            throws IOException {
        // Not @QueryValue: asking Jetty for parameters would consume a multipart body (see QueryString).
        String onConflict = QueryString.single(request, ON_CONFLICT).orElse(null);
        ConflictPolicy policy = ConflictPolicy.parse(onConflict);
        String filename = QueryString.single(request, "filename").orElse(null);
        String contentType = request.getHeaders().getContentType().orElse(null);
        InputStream body = RequestBodies.stream(request);
        Precondition precondition = ConditionalHeaders.precondition(request.getHeaders());
        if (MultipartFiles.isMultipart(contentType)) {
            if (filename != null) {
                // refused, not ignored: the caller asked for a name no part would get
                throw new ImgStreamException(ErrorCode.INVALID_PARAMETER, "?filename= names a raw image body; a multipart "
                        + "upload takes each name from its part (Content-Disposition: form-data; name=\"file\"; filename=\"…\").");
            }
            return multipart(request, caller, onConflict == null ? null : policy, precondition, contentType, body);
        }
        if (filename == null) {
            throw new ImgStreamException(ErrorCode.INVALID_FILENAME,
                    "Give the name as ?filename= (percent-encoded), or send multipart/form-data with file parts.");
        }
        UploadOutcome outcome = uploadImage.upload(new UploadCommand(caller, filename, body,
                request.getContentLength(), policy, precondition));
        return respond(outcome);
    }

    @Operation(operationId = "deleteImage", summary = "Delete an image: gone from fetch at once, its name free",
            parameters = {
                    @Parameter(name = "If-Match", in = ParameterIn.HEADER, description = "Delete only this version (its ETag)",
                    schema = @Schema(type = "string"))})
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "400", description = "Bad request",
            content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = UploadApi.DeleteProblem.class)))
    @ApiResponse(responseCode = "404", description = "No such image of the caller's",
            content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = UploadApi.DeleteProblem.class)))
    @ApiResponse(responseCode = "412", description = "If-Match did not hold",
            content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = UploadApi.DeleteProblem.class)))
    @Delete("/{id}")
    public HttpResponse<Void> delete(@Parameter(description = "The image id", schema = @Schema(type = "string", format = "uuid")) String id, HttpRequest<?> request, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        deleteImage.delete(caller, id, ConditionalHeaders.precondition(request.getHeaders()));
        return HttpResponse.noContent();
    }

    /**
     * {@code queryPolicy} is null when the query string names none: then an {@code onConflict} form field before the file
     * parts sets it (what an HTML form can send), and one after a file part is answered, not ignored.
     */
    private HttpResponse<?> multipart(HttpRequest<?> request, Caller caller, @Nullable ConflictPolicy queryPolicy,
                                      Precondition precondition, String contentType, InputStream body) throws IOException {
        BoundedRequest bounded = uploadImage.multipartBody(body, request.getContentLength());
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
        return HttpResponse.ok(new PartResults(results));
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
            return new PartResult(outcome.status(), view(outcome), null);
        } catch (ImgStreamException e) {
            return problem(request, e);
        }
    }

    private static PartResult problem(HttpRequest<?> request, ImgStreamException e) {
        return new PartResult(e.code().status(), null, Problem.of(e.code(), e.detail(), request.getPath(), existing(e)));
    }

    private static Object existing(ImgStreamException e) {
        return e.extension() instanceof io.imgstream.domain.ImageDetails image ? ImageView.of(image) : null;
    }

    private static ImageView view(UploadOutcome outcome) {
        return ImageView.of(outcome.image(), outcome.sameContentAs());
    }

    private HttpResponse<ImageView> respond(UploadOutcome outcome) {
        // The stored version's ETag (the content's, as fetch serves it): what a later conditional overwrite or delete
        // names in If-Match, without another request.
        var response = HttpResponse.<ImageView>status(HttpStatus.valueOf(outcome.status())).body(view(outcome))
                .header(HttpHeaders.ETAG, outcome.image().etag());
        if (outcome.created()) {
            // On the fetch function when FETCH_URL names it: the upload function does not serve GET /images/{id}.
            response.headers(h -> h.location(URI.create(config.imageLocation(outcome.image().id()))));
        }
        return response;
    }
}
