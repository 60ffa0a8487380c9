package io.imgstream.upload;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.imgstream.application.resumable.ResumableUploads;
import io.imgstream.domain.Caller;
import io.imgstream.domain.ErrorCode;
import io.imgstream.domain.ImgStreamException;
import io.imgstream.domain.ResumableUpload;
import io.imgstream.web.ImageView;
import io.imgstream.web.RequestBodies;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Options;
import io.micronaut.http.annotation.Patch;
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
import io.swagger.v3.oas.annotations.responses.ApiResponses;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.io.IOException;
import java.io.InputStream;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import static io.imgstream.upload.TusController.EVERY_ANSWER;
import static io.imgstream.upload.TusController.TUS;

/**
 * tus 1.0.0 on {@code /uploads} (creation, creation-with-upload, termination, expiration, checksum). Thin: headers →
 * {@link ResumableUploads} → headers. {@link TusHeadersFilter} checks {@code Tus-Resumable} and adds it to every answer.
 */
@Controller("/uploads")
@SecurityRequirement(name = "bearer")
@SecurityRequirement(name = "apiKey")
@Tag(name = "uploads", description = "Resumable uploads: tus 1.0.0 (creation, creation-with-upload, termination, "
        + "expiration, checksum). Every request but OPTIONS sends Tus-Resumable: 1.0.0.")
@ApiResponse(responseCode = "401", description = "No key, or a malformed, unknown or revoked one",
        headers = {@Header(name = "WWW-Authenticate", schema = @Schema(type = "string")),
                @Header(name = TUS, description = EVERY_ANSWER, schema = @Schema(type = "string"))},
        content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = ApiProblems.Unauthorized.class)))
@ApiResponse(responseCode = "403", description = "A browser origin not in ALLOWED_ORIGINS", content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = ApiProblems.Forbidden.class)), headers = @Header(name = TUS, description = EVERY_ANSWER, schema = @Schema(type = "string")))
@ApiResponse(responseCode = "412", description = "tus_version_unsupported: no Tus-Resumable: 1.0.0",
        headers = {@Header(name = "Tus-Version", schema = @Schema(type = "string")), @Header(name = TUS, description = EVERY_ANSWER, schema = @Schema(type = "string"))},
        content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = ApiProblems.Uploads.class)))
@ApiResponse(responseCode = "500", description = "An unexpected failure (no detail leaks)", content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = ApiProblems.Internal.class)), headers = @Header(name = TUS, description = EVERY_ANSWER, schema = @Schema(type = "string")))
@ApiResponse(responseCode = "503", description = "The database or storage did not answer in time; retry",
        headers = {@Header(name = "Retry-After", schema = @Schema(type = "integer")), @Header(name = TUS, description = EVERY_ANSWER, schema = @Schema(type = "string"))},
        content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = ApiProblems.Unavailable.class)))
public class TusController {

    static final String IMAGE_ID = "ImgStream-Image-Id";
    /** For the API document: the header {@link TusHeadersFilter} adds to every answer, named on each. */
    static final String TUS = TusHeadersFilter.TUS_RESUMABLE;
    static final String EVERY_ANSWER = "1.0.0, on every answer";

    private final ResumableUploads uploads;

    public TusController(ResumableUploads uploads) {
        this.uploads = uploads;
    }

    /** {@code GET /uploads/{id}}: how far an upload is, and how it ended. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL) // absent, never null: nullable = false in the document
    @Schema(name = "UploadState", description = "How far a resumable upload is, and how it ended: image once complete, "
            + "problem (why) once failed")
    public record UploadState(String id,
                              @Schema(allowableValues = {"uploading", "complete", "failed"}) String state,
                              long offset, long length, String filename,
                              @Schema(format = "date-time") String expiresAt,
                              @Schema(nullable = false) @Nullable ImageView image,
                              @Schema(nullable = false) @Nullable ProblemView problem) {
    }

    @Serdeable
    @Schema(name = "UploadFailure")
    public record ProblemView(String code, String detail) {
    }

    @Operation(operationId = "getUploadCapabilities", summary = "tus discovery: version, extensions, limits")
    @ApiResponse(responseCode = "204", description = "The server's tus capabilities", headers = {
            @Header(name = "Tus-Version", schema = @Schema(type = "string")),
            @Header(name = "Tus-Extension", schema = @Schema(type = "string")),
            @Header(name = "Tus-Max-Size", description = "MAX_RESUMABLE_BYTES", schema = @Schema(type = "integer", format = "int64")),
            @Header(name = "Tus-Checksum-Algorithm", schema = @Schema(type = "string")), @Header(name = TUS, description = EVERY_ANSWER, schema = @Schema(type = "string"))})
    @Options
    public HttpResponse<?> options() {
        return HttpResponse.noContent()
                .header("Tus-Version", ResumableUploads.VERSION)
                .header("Tus-Extension", ResumableUploads.EXTENSIONS)
                .header("Tus-Max-Size", Long.toString(uploads.maxBytes()))
                .header("Tus-Checksum-Algorithm", String.join(",", ResumableUploads.CHECKSUMS));
    }

    @Operation(operationId = "createUpload", summary = "Start a resumable upload (optionally with its first chunk)",
            description = "Refused before any byte when the name is bad, the length 0 or over Tus-Max-Size, or (under "
                    + "reject) the name is taken or reserved by another unfinished upload.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = false, content =
                    @Content(mediaType = "application/offset+octet-stream", schema = @Schema(type = "string", format = "binary"))),
            parameters = {
                    @Parameter(name = "Tus-Resumable", in = ParameterIn.HEADER, required = true, schema = @Schema(type = "string", allowableValues = "1.0.0")),
                    @Parameter(name = "Upload-Length", in = ParameterIn.HEADER, description = "The file's size in bytes",
                    schema = @Schema(type = "integer", format = "int64", minimum = "1")),
                    @Parameter(name = "Upload-Metadata", in = ParameterIn.HEADER, required = true, description = "tus metadata: "
                    + "filename (required) and onConflict (reject|overwrite|rename|skip), each key and base64 value",
                    schema = @Schema(type = "string")),
                    @Parameter(name = "Upload-Checksum", in = ParameterIn.HEADER, description = "Of the first chunk, when the body holds one",
                    schema = @Schema(type = "string"))})
    @ApiResponse(responseCode = "201", description = "Created", headers = {
            @Header(name = "Location", description = "The upload's absolute URL", schema = @Schema(type = "string", format = "uri")),
            @Header(name = "Upload-Expires", description = "When an unfinished upload expires (HTTP date)", schema = @Schema(type = "string")), @Header(name = "Upload-Offset", description = "Bytes received so far", schema = @Schema(type = "integer", format = "int64")), @Header(name = "ImgStream-Image-Id", description = "The stored image, once the last byte arrived", schema = @Schema(type = "string", format = "uuid")), @Header(name = TUS, description = EVERY_ANSWER, schema = @Schema(type = "string"))})
    @ApiResponse(responseCode = "400", description = "Bad name, length 0 or bad metadata", content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = ApiProblems.Uploads.class)), headers = @Header(name = TUS, description = EVERY_ANSWER, schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "409", description = "The name is taken or reserved (reject)", content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = ApiProblems.Uploads.class)), headers = @Header(name = TUS, description = EVERY_ANSWER, schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "413", description = "Upload-Length over Tus-Max-Size", content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = ApiProblems.Uploads.class)), headers = @Header(name = TUS, description = EVERY_ANSWER, schema = @Schema(type = "string")))
    @TusChunkBodyResponses
    @Post(consumes = MediaType.ALL)
    public HttpResponse<?> create(HttpRequest<?> request, @RequestAttribute(Caller.ATTRIBUTE) Caller caller)
            throws IOException {
        HttpHeaders in = request.getHeaders();
        ResumableUpload upload = uploads.create(caller, in.get("Upload-Length"), in.get("Upload-Defer-Length"),
                in.get("Upload-Metadata"));
        MutableHttpResponse<?> response = HttpResponse.created(java.net.URI.create(location(request, upload)))
                .header("Upload-Expires", httpDate(upload));
        // creation-with-upload: a body on the POST is the first chunk.
        String contentType = in.getContentType().orElse(null);
        if (contentType != null && request.getContentLength() != 0) {
            ResumableUploads.Appended appended = uploads.append(caller, upload.id().toString(), contentType, "0",
                    in.get("Upload-Checksum"), request.getContentLength(), RequestBodies.stream(request));
            response.header("Upload-Offset", Long.toString(appended.offset()));
            if (appended.completed() != null) {
                response.header(IMAGE_ID, appended.completed().image().id().toString());
            }
        } else {
            response.header("Upload-Offset", "0");
        }
        return response;
    }

    @Operation(operationId = "appendUploadChunk", summary = "Append a chunk at Upload-Offset",
            parameters = {
                    @Parameter(name = "Tus-Resumable", in = ParameterIn.HEADER, required = true, schema = @Schema(type = "string", allowableValues = "1.0.0")),
                    @Parameter(name = "Upload-Offset", in = ParameterIn.HEADER, required = true, description = "Where this chunk starts: the stored offset", schema = @Schema(type = "integer", format = "int64", minimum = "0")),
                    @Parameter(name = "Upload-Checksum", in = ParameterIn.HEADER, description = "sha1 (or sha256, md5) and the chunk's base64 digest", schema = @Schema(type = "string"))})
    @ApiResponses // none of its own: all are in TusChunkResponses (an empty list keeps micronaut-openapi from adding a 200)
    @TusChunkResponses
    @Patch(value = "/{id}", consumes = MediaType.ALL)
    public HttpResponse<?> patch(String id, HttpRequest<?> request, @RequestAttribute(Caller.ATTRIBUTE) Caller caller)
            throws IOException {
        HttpHeaders in = request.getHeaders();
        InputStream body = RequestBodies.stream(request);
        ResumableUploads.Appended appended = uploads.append(caller, id, in.getContentType().orElse(null),
                in.get("Upload-Offset"), in.get("Upload-Checksum"), request.getContentLength(), body);
        MutableHttpResponse<?> response = HttpResponse.noContent()
                .header("Upload-Offset", Long.toString(appended.offset()))
                .header("Upload-Expires", httpDate(appended.upload()));
        if (appended.completed() != null) {
            response.header(IMAGE_ID, appended.completed().image().id().toString());
        }
        return response;
    }

    /**
     * {@code POST} with {@code X-HTTP-Method-Override: PATCH}: what clients on HTTP stacks without PATCH send (the JDK's
     * HttpURLConnection, so tus-java-client), as tus 1.0.0 allows.
     */
    @Operation(operationId = "appendUploadChunkOverride", summary = "PATCH for HTTP stacks without it: POST with "
            + "X-HTTP-Method-Override: PATCH",
            parameters = {
                    @Parameter(name = "X-HTTP-Method-Override", in = ParameterIn.HEADER, required = true,
                    schema = @Schema(type = "string", allowableValues = "PATCH")),
                    @Parameter(name = "Tus-Resumable", in = ParameterIn.HEADER, required = true, schema = @Schema(type = "string", allowableValues = "1.0.0")),
                    @Parameter(name = "Upload-Offset", in = ParameterIn.HEADER, required = true, description = "Where this chunk starts: the stored offset", schema = @Schema(type = "integer", format = "int64", minimum = "0")),
                    @Parameter(name = "Upload-Checksum", in = ParameterIn.HEADER, description = "sha1 (or sha256, md5) and the chunk's base64 digest", schema = @Schema(type = "string"))})
    @TusChunkResponses
    @ApiResponse(responseCode = "405", description = "method_not_allowed: no X-HTTP-Method-Override: PATCH", content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = ApiProblems.Uploads.class)), headers = @Header(name = TUS, description = EVERY_ANSWER, schema = @Schema(type = "string")))
    @Post(value = "/{id}", consumes = MediaType.ALL)
    public HttpResponse<?> overridden(String id, HttpRequest<?> request, @RequestAttribute(Caller.ATTRIBUTE) Caller caller)
            throws IOException {
        String override = request.getHeaders().get("X-HTTP-Method-Override");
        if (!"PATCH".equalsIgnoreCase(override)) {
            throw new ImgStreamException(ErrorCode.METHOD_NOT_ALLOWED, "POST to an upload is a chunk only with"
                    + " X-HTTP-Method-Override: PATCH; send chunks with PATCH.");
        }
        return patch(id, request, caller);
    }

    @Operation(operationId = "terminateUpload", summary = "Abandon an upload: its bytes and name reservation go",
            parameters = {
                    @Parameter(name = "Tus-Resumable", in = ParameterIn.HEADER, required = true, schema = @Schema(type = "string", allowableValues = "1.0.0"))})
    @ApiResponse(responseCode = "204", description = "Terminated", headers = @Header(name = TUS, description = EVERY_ANSWER, schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "404", description = "No such upload of the caller's", content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = ApiProblems.Uploads.class)), headers = @Header(name = TUS, description = EVERY_ANSWER, schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "409", description = "upload_finished or upload_busy", content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = ApiProblems.Uploads.class)), headers = @Header(name = TUS, description = EVERY_ANSWER, schema = @Schema(type = "string")))
    @Delete("/{id}")
    public HttpResponse<?> terminate(String id, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        uploads.terminate(caller, id);
        return HttpResponse.noContent();
    }

    /**
     * {@code GET /uploads/{id}}: the state as JSON; {@code HEAD} (Micronaut answers it from this route, without the
     * body) gives tus's {@code Upload-Offset} and {@code Upload-Length}, which the GET carries too.
     */
    @Operation(operationId = "getUploadState", summary = "An upload's state; HEAD gives tus's Upload-Offset and Upload-Length",
            description = "HEAD on this path answers the same status and headers without the body: what a tus client "
                    + "asks to resume.",
            parameters = {
                    @Parameter(name = "Tus-Resumable", in = ParameterIn.HEADER, required = true, schema = @Schema(type = "string", allowableValues = "1.0.0"))})
    @ApiResponse(responseCode = "200", description = "The state", headers = {@Header(name = "Upload-Offset", description = "Bytes received so far", schema = @Schema(type = "integer", format = "int64")),
            @Header(name = "Upload-Length", schema = @Schema(type = "integer", format = "int64")), @Header(name = "Upload-Expires", description = "When an unfinished upload expires (HTTP date)", schema = @Schema(type = "string")), @Header(name = "ImgStream-Image-Id", description = "The stored image, once the last byte arrived", schema = @Schema(type = "string", format = "uuid")), @Header(name = TUS, description = EVERY_ANSWER, schema = @Schema(type = "string"))},
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = UploadState.class)))
    @ApiResponse(responseCode = "400", description = "Bad request", content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = ApiProblems.Uploads.class)), headers = @Header(name = TUS, description = EVERY_ANSWER, schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "404", description = "No such upload of the caller's, or expired", content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = ApiProblems.Uploads.class)), headers = @Header(name = TUS, description = EVERY_ANSWER, schema = @Schema(type = "string")))
    @Get(value = "/{id}", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<UploadState> state(String id, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        ResumableUpload upload = uploads.find(caller, id);
        ImageView image = uploads.image(caller, upload).map(ImageView::of).orElse(null);
        ProblemView problem = upload.problemCode() == null ? null
                : new ProblemView(upload.problemCode(), upload.problemDetail());
        MutableHttpResponse<UploadState> response = HttpResponse.ok(new UploadState(upload.id().toString(), upload.state().name().toLowerCase(Locale.ROOT),
                upload.state() == ResumableUpload.State.UPLOADING ? upload.received() : upload.length(), upload.length(),
                upload.filename(), upload.expiresAt().toString(), image, problem))
                .header("Upload-Offset", Long.toString(upload.received()))
                .header("Upload-Length", Long.toString(upload.length()))
                .header("Upload-Expires", httpDate(upload))
                .header(HttpHeaders.CACHE_CONTROL, "no-store");
        if (upload.imageId() != null) {
            response.header(IMAGE_ID, upload.imageId().toString());
        }
        return response;
    }

    /** Absolute, as tus requires: the host and scheme the client used (Cloud Run forwards the scheme). */
    private static String location(HttpRequest<?> request, ResumableUpload upload) {
        HttpHeaders in = request.getHeaders();
        String scheme = in.get("X-Forwarded-Proto") != null ? in.get("X-Forwarded-Proto").split(",")[0].trim()
                : request.isSecure() ? "https" : "http";
        String host = in.get(HttpHeaders.HOST);
        if (host == null) {
            host = request.getServerAddress().getHostString() + ":" + request.getServerAddress().getPort();
        }
        return scheme + "://" + host + "/uploads/" + upload.id();
    }

    private static String httpDate(ResumableUpload upload) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(upload.expiresAt().atZone(ZoneOffset.UTC));
    }
}
