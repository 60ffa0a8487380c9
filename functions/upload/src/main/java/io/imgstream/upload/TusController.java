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

import java.io.IOException;
import java.io.InputStream;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * tus 1.0.0 on {@code /uploads} (creation, creation-with-upload, termination, expiration, checksum). Thin: headers →
 * {@link ResumableUploads} → headers. {@link TusHeadersFilter} checks {@code Tus-Resumable} and adds it to every answer.
 */
@Controller("/uploads")
public class TusController {

    static final String IMAGE_ID = "ImgStream-Image-Id";

    private final ResumableUploads uploads;

    public TusController(ResumableUploads uploads) {
        this.uploads = uploads;
    }

    /** {@code GET /uploads/{id}}: how far an upload is, and how it ended. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record UploadState(String id, String state, long offset, long length, String filename, String expiresAt,
                              @Nullable ImageView image, @Nullable ProblemView problem) {
    }

    @Serdeable
    public record ProblemView(String code, String detail) {
    }

    @Options
    public HttpResponse<?> options() {
        return HttpResponse.noContent()
                .header("Tus-Version", ResumableUploads.VERSION)
                .header("Tus-Extension", ResumableUploads.EXTENSIONS)
                .header("Tus-Max-Size", Long.toString(uploads.maxBytes()))
                .header("Tus-Checksum-Algorithm", String.join(",", ResumableUploads.CHECKSUMS));
    }

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

    @Delete("/{id}")
    public HttpResponse<?> terminate(String id, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        uploads.terminate(caller, id);
        return HttpResponse.noContent();
    }

    /**
     * {@code GET /uploads/{id}}: the state as JSON; {@code HEAD} (Micronaut answers it from this route, without the
     * body) gives tus's {@code Upload-Offset} and {@code Upload-Length}, which the GET carries too.
     */
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
