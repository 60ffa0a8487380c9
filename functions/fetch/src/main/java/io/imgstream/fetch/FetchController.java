package io.imgstream.fetch;

import io.imgstream.application.fetch.FetchImages;
import io.imgstream.application.thumbnail.ServeThumbnails;
import io.imgstream.domain.ByteRange;
import io.imgstream.domain.Caller;
import io.imgstream.domain.ErrorCode;
import io.imgstream.domain.Image;
import io.imgstream.domain.ImageDetails;
import io.imgstream.domain.Precondition;
import io.imgstream.web.ConditionalHeaders;
import io.imgstream.web.ImageView;
import io.imgstream.web.ProblemResponses;
import io.imgstream.web.QueryString;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.serde.annotation.Serdeable;

import java.io.InputStream;
import java.util.List;

/**
 * {@code GET /images}, {@code /images/by-name}, {@code /images/{id}}, {@code /images/{id}/content} and
 * {@code /images/{id}/thumbnail}.
 * Thin: request → {@link FetchImages} → response; HTTP caching and range rules live in {@link ContentHeaders}.
 */
@Controller("/images")
public class FetchController {

    /** Above this, Cloud Run only passes a response that is chunked, so no Content-Length is sent. */
    static final long UNCHUNKED_LIMIT = 32L * 1024 * 1024;

    private final FetchImages fetch;
    private final ServeThumbnails thumbnails;

    public FetchController(FetchImages fetch, ServeThumbnails thumbnails) {
        this.fetch = fetch;
        this.thumbnails = thumbnails;
    }

    /** A page of the listing. */
    @Serdeable
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS)
    public record PageView(List<ImageView> items, String nextCursor) {
    }

    /** JSON is named even for HEAD, whose body Micronaut drops and with it the type it would have written. */
    @Get
    public HttpResponse<PageView> list(HttpRequest<?> request, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        FetchImages.Page page = fetch.list(caller, QueryString.single(request, "prefix").orElse(null),
                QueryString.single(request, "limit").orElse(null), QueryString.single(request, "cursor").orElse(null));
        return HttpResponse.ok(new PageView(page.items().stream().map(ImageView::of).toList(), page.nextCursor()))
                .contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    @Get("/by-name")
    public HttpResponse<?> byName(HttpRequest<?> request, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        return metadata(fetch.byName(caller, QueryString.single(request, "filename").orElse(null)), request);
    }

    @Get("/{id}")
    public HttpResponse<?> get(String id, HttpRequest<?> request, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        return metadata(fetch.describe(caller, id), request);
    }

    /** Produces any type: the stored one ({@code Accept: image/*} from an image loader must not get a 406). */
    @Get(value = "/{id}/content", produces = MediaType.ALL)
    public HttpResponse<?> content(String id, HttpRequest<?> request, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        return serve(fetch.get(caller, id), request);
    }

    /**
     * A thumbnail ({@code ?size=&fit=&format=&v=}). Its ETag is known before anything is read, so a revalidation is a
     * 304 without touching storage; a request naming the version is immutable, since a new version is a new URL.
     */
    @Get(value = "/{id}/thumbnail", produces = MediaType.ALL)
    public HttpResponse<?> thumbnail(String id, HttpRequest<?> request, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        ServeThumbnails.Target target = thumbnails.locate(caller, id, QueryString.single(request, "size").orElse(null),
                QueryString.single(request, "fit").orElse(null), QueryString.single(request, "format").orElse(null),
                QueryString.single(request, "v").orElse(null));
        String cacheControl = target.versioned() ? "private, max-age=31536000, immutable" : "private, no-cache";
        Precondition precondition = ConditionalHeaders.precondition(request.getHeaders());
        if (precondition.notModified(target.etag())) {
            return HttpResponse.notModified().header(HttpHeaders.ETAG, target.etag())
                    .header(HttpHeaders.CACHE_CONTROL, cacheControl);
        }
        ServeThumbnails.Thumbnail thumbnail = thumbnails.load(target);
        MutableHttpResponse<byte[]> response = HttpResponse.<byte[]>ok()
                .header(HttpHeaders.ETAG, target.etag())
                .header(HttpHeaders.CACHE_CONTROL, cacheControl)
                .header(HttpHeaders.CONTENT_TYPE, thumbnail.contentType())
                .header(HttpHeaders.CONTENT_LENGTH, Integer.toString(thumbnail.bytes().length))
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentHeaders.thumbnailDisposition(target.image(),
                        thumbnail.contentType()))
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", "default-src 'none'; sandbox");
        return request.getMethod() == HttpMethod.HEAD ? response : response.body(thumbnail.bytes());
    }

    /** The metadata carries an ETag of its own, so a client revalidating it gets a 304 as for the content. */
    private static HttpResponse<?> metadata(ImageDetails details, HttpRequest<?> request) {
        String etag = details.etag();
        Precondition precondition = ConditionalHeaders.precondition(request.getHeaders());
        if (!precondition.allowsRead(etag, details.image().updatedAt())) {
            return preconditionFailed(request, etag, details.image());
        }
        var response = precondition.notModified(etag) ? HttpResponse.<ImageView>notModified()
                : HttpResponse.ok(ImageView.of(details)).contentType(MediaType.APPLICATION_JSON_TYPE);
        return response.header(HttpHeaders.ETAG, etag).header(HttpHeaders.CACHE_CONTROL, "private, no-cache");
    }

    private HttpResponse<?> serve(Image image, HttpRequest<?> request) {
        boolean download = QueryString.single(request, "download").map(v -> v.equals("1") || v.equals("true")).orElse(false);
        String disposition = ContentHeaders.disposition(image, download);
        HttpHeaders in = request.getHeaders();
        // RFC 9110 §13.2.2: If-Match, then If-Unmodified-Since, before anything is served or redirected to.
        Precondition precondition = ConditionalHeaders.precondition(in);
        if (!precondition.allowsRead(image.etag(), image.updatedAt())) {
            return preconditionFailed(request, image.etag(), image);
        }
        if (QueryString.single(request, "redirect").map(v -> v.equals("1") || v.equals("true")).orElse(false)) {
            var signed = fetch.signedUrl(image, disposition);
            if (signed.isPresent()) {
                return HttpResponse.temporaryRedirect(signed.get()).header(HttpHeaders.CACHE_CONTROL, "private, no-store");
            }
        }
        if (precondition.notModified(image.etag())
                || (precondition.ifNoneMatch() == null
                && ContentHeaders.notModifiedSince(in.get(HttpHeaders.IF_MODIFIED_SINCE), image.updatedAt()))) {
            return withValidators(HttpResponse.notModified(), image);
        }
        String range = ContentHeaders.rangeStillValid(in.get("If-Range"), image.etag(), image.updatedAt())
                ? in.get(HttpHeaders.RANGE) : null;
        FetchImages.Content content;
        try {
            content = request.getMethod() == HttpMethod.HEAD ? fetch.peek(image, range) : fetch.open(image, range);
        } catch (ByteRange.Unsatisfiable e) {
            return ProblemResponses.of(ErrorCode.RANGE_NOT_SATISFIABLE, "The range lies beyond the end of the image.",
                    null, request).header(HttpHeaders.CONTENT_RANGE, "bytes */" + image.sizeBytes());
        }
        MutableHttpResponse<InputStream> response = HttpResponse.status(content.range() == null ? HttpStatus.OK
                : HttpStatus.PARTIAL_CONTENT);
        withValidators(response, image)
                .header(HttpHeaders.CONTENT_TYPE, image.contentType())
                .header(HttpHeaders.CONTENT_DISPOSITION, disposition)
                .header(HttpHeaders.ACCEPT_RANGES, "bytes")
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", "default-src 'none'; sandbox");
        if (content.range() != null) {
            response.header(HttpHeaders.CONTENT_RANGE, content.range().contentRange(image.sizeBytes()));
        }
        if (content.length() < UNCHUNKED_LIMIT) {
            response.header(HttpHeaders.CONTENT_LENGTH, Long.toString(content.length()));
        }
        if (request.getMethod() == HttpMethod.HEAD) {
            return response;
        }
        return response.body(content.body());
    }

    /** 412 with the validators the representation has now, so the client can see what it missed. */
    private static HttpResponse<?> preconditionFailed(HttpRequest<?> request, String etag, Image image) {
        return ProblemResponses.of(ErrorCode.PRECONDITION_FAILED, "The image has changed since the version named by "
                        + "If-Match or If-Unmodified-Since; its ETag is now " + etag + ".", null, request)
                .header(HttpHeaders.ETAG, etag)
                .header(HttpHeaders.LAST_MODIFIED, ContentHeaders.httpDate(image.updatedAt()));
    }

    private static <T> MutableHttpResponse<T> withValidators(MutableHttpResponse<T> response, Image image) {
        return response.header(HttpHeaders.ETAG, image.etag())
                .header(HttpHeaders.LAST_MODIFIED, ContentHeaders.httpDate(image.updatedAt()))
                .header(HttpHeaders.CACHE_CONTROL, "private");
    }
}
