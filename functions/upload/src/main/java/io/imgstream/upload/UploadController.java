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

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;

/**
 * {@code POST /images} (a raw image body with {@code ?filename=}, or multipart/form-data {@code file} parts, which
 * {@link MultipartUploads} takes) and {@code DELETE /images/{id}}. Thin: request → command → one use case → response.
 */
@Controller("/images")
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

    @Delete("/{id}")
    public HttpResponse<Void> delete(String id, HttpRequest<?> request, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        deleteImage.delete(caller, id, ConditionalHeaders.precondition(request.getHeaders()));
        return HttpResponse.noContent();
    }
}
