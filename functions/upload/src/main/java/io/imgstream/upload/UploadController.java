package io.imgstream.upload;

import io.imgstream.application.delete.DeleteImage;
import io.imgstream.application.upload.UploadCommand;
import io.imgstream.application.upload.UploadImage;
import io.imgstream.application.upload.UploadOutcome;
import io.imgstream.config.ImgStreamConfiguration;
import io.imgstream.domain.Caller;
import io.imgstream.domain.ConflictPolicy;
import io.imgstream.domain.ErrorCode;
import io.imgstream.domain.ImgStreamException;
import io.imgstream.domain.Precondition;
import io.imgstream.web.ApiProblems;
import io.imgstream.web.KeyedApi;
import io.imgstream.web.ConditionalHeaders;
import io.imgstream.web.ImageView;
import io.imgstream.web.MultipartFiles;
import io.imgstream.web.QueryString;
import io.imgstream.web.RequestBodies;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.RequestAttribute;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;

/**
 * {@code POST /images} (a raw image body with {@code ?filename=}, or multipart/form-data {@code file} parts, which
 * {@link MultipartUploads} takes) and {@code DELETE /images/{id}}. Thin: request → command → one use case → response.
 */
@Controller("/images")
@KeyedApi
@Tag(name = "images")
public class UploadController {

    private final UploadImage uploadImage;
    private final MultipartUploads multipartUploads;
    private final DeleteImage deleteImage;
    private final ImgStreamConfiguration config;

    public UploadController(UploadImage uploadImage, MultipartUploads multipartUploads, DeleteImage deleteImage,
                            ImgStreamConfiguration config) {
        this.uploadImage = uploadImage;
        this.multipartUploads = multipartUploads;
        this.deleteImage = deleteImage;
        this.config = config;
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
            content = @Content(mediaType = "application/json", schema = @Schema(oneOf = {ImageView.class, MultipartUploads.PartResults.class})))
    @ApiResponse(responseCode = "201", description = "Stored as a new image",
            headers = {@Header(name = "Location", description = "The image's metadata URL", schema = @Schema(type = "string", format = "uri-reference")),
                    @Header(name = "ETag", description = "The stored version's strong ETag", schema = @Schema(type = "string"))},
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ImageView.class)))
    @ApiResponse(responseCode = "400", description = "Bad name, empty body, bad parameter or malformed multipart", content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = ApiProblems.UploadImage.class)))
    @ApiResponse(responseCode = "409", description = "filename_conflict: the name is taken (the problem's existing is the image)", content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = ApiProblems.UploadImage.class)))
    @ApiResponse(responseCode = "412", description = "If-Match / If-None-Match did not hold", content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = ApiProblems.UploadImage.class)))
    @ApiResponse(responseCode = "413", description = "Body over MAX_UPLOAD_BYTES", content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = ApiProblems.UploadImage.class)))
    @ApiResponse(responseCode = "415", description = "Not JPEG, PNG, GIF, WebP, HEIC/HEIF, AVIF, TIFF or BMP by its bytes, or "
            + "sent with a content coding",
            headers = @Header(name = "Accept-Encoding", description = "identity, when the body came with a content coding", schema = @Schema(type = "string")),
            content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = ApiProblems.UploadImage.class)))
    @ApiResponse(responseCode = "422", description = "image_too_large: more pixels than MAX_IMAGE_PIXELS", content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = ApiProblems.UploadImage.class)))
    @Post(consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    public HttpResponse<?> upload(HttpRequest<?> request, @RequestAttribute(Caller.ATTRIBUTE) Caller caller)
            throws IOException {
        // Not @QueryValue: asking Jetty for parameters would consume a multipart body (see QueryString).
        String onConflict = QueryString.single(request, MultipartUploads.ON_CONFLICT).orElse(null);
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
            return HttpResponse.ok(multipartUploads.upload(request, caller, onConflict == null ? null : policy,
                    precondition, contentType, body));
        }
        if (filename == null) {
            throw new ImgStreamException(ErrorCode.INVALID_FILENAME,
                    "Give the name as ?filename= (percent-encoded), or send multipart/form-data with file parts.");
        }
        UploadOutcome outcome = uploadImage.upload(new UploadCommand(caller, filename, body,
                request.getContentLength(), policy, precondition));
        // The stored version's ETag (the content's, as fetch serves it): what a later conditional overwrite or delete
        // names in If-Match, without another request.
        var response = HttpResponse.<ImageView>status(HttpStatus.valueOf(MultipartUploads.status(outcome)))
                .body(ImageView.of(outcome.image(), outcome.sameContentAs()))
                .header(HttpHeaders.ETAG, outcome.image().etag());
        if (outcome.created()) {
            // On the fetch function when FETCH_URL names it: the upload function does not serve GET /images/{id}.
            response.headers(h -> h.location(URI.create(config.imageLocation(outcome.image().id()))));
        }
        return response;
    }

    @Operation(operationId = "deleteImage", summary = "Delete an image: gone from fetch at once, its name free",
            parameters = {
                    @Parameter(name = "If-Match", in = ParameterIn.HEADER, description = "Delete only this version (its ETag)",
                    schema = @Schema(type = "string"))})
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "400", description = "Bad request", content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = ApiProblems.DeleteImage.class)))
    @ApiResponse(responseCode = "404", description = "No such image of the caller's", content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = ApiProblems.DeleteImage.class)))
    @ApiResponse(responseCode = "412", description = "If-Match did not hold", content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = ApiProblems.DeleteImage.class)))
    @Delete("/{id}")
    public HttpResponse<Void> delete(@Parameter(description = "The image id", schema = @Schema(type = "string", format = "uuid")) String id, HttpRequest<?> request, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        deleteImage.delete(caller, id, ConditionalHeaders.precondition(request.getHeaders()));
        return HttpResponse.noContent();
    }
}
