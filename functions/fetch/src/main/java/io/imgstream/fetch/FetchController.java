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
import io.imgstream.web.ApiProblems;
import io.imgstream.web.KeyedApi;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.io.InputStream;
import java.util.List;

/**
 * {@code GET /images}, {@code /images/by-name}, {@code /images/{id}}, {@code /images/{id}/content} and
 * {@code /images/{id}/thumbnail}.
 * Thin: request → {@link FetchImages} → response; HTTP caching and range rules live in {@link ContentHeaders}.
 */
@Controller("/images")
@KeyedApi
@Tag(name = "images")
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
    @Schema(name = "ImagePage", description = "A page of the caller's images in a stable order")
    public record PageView(List<ImageView> items,
                           @Schema(description = "Pass as ?cursor= for the next page; null on the last", nullable = true)
                           String nextCursor) {
    }

    // JSON is named even for HEAD, whose body Micronaut drops and with it the type it would have written. (A line
    // comment: micronaut-openapi would publish a Javadoc as the operation's description.)
    @Operation(operationId = "listImages", summary = "The caller's images, a page at a time (keyset pagination)",
            parameters = {
                    @Parameter(name = "prefix", in = ParameterIn.QUERY, description = "Only names starting so (case-insensitively)", schema = @Schema(type = "string")),
                    @Parameter(name = "limit", in = ParameterIn.QUERY, schema = @Schema(type = "integer", minimum = "1", maximum = "1000", defaultValue = "100")),
                    @Parameter(name = "cursor", in = ParameterIn.QUERY, description = "nextCursor of the previous page", schema = @Schema(type = "string"))})
    @ApiResponse(responseCode = "200", description = "A page", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = PageView.class)))
    @ApiResponse(responseCode = "400", description = "Bad limit, cursor or prefix", content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = ApiProblems.ListImages.class)))
    @Get
    public HttpResponse<PageView> list(HttpRequest<?> request, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        FetchImages.Page page = fetch.list(caller, QueryString.single(request, "prefix").orElse(null),
                QueryString.single(request, "limit").orElse(null), QueryString.single(request, "cursor").orElse(null));
        return HttpResponse.ok(new PageView(page.items().stream().map(ImageView::of).toList(), page.nextCursor()))
                .contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    @Operation(operationId = "getImageByName", summary = "An image's metadata by name (collision-key match)",
            parameters = {
                    @Parameter(name = "filename", in = ParameterIn.QUERY, required = true, schema = @Schema(type = "string")),
                    @Parameter(name = "If-None-Match", in = ParameterIn.HEADER, schema = @Schema(type = "string")),
                    @Parameter(name = "If-Match", in = ParameterIn.HEADER, schema = @Schema(type = "string")),
                    @Parameter(name = "If-Unmodified-Since", in = ParameterIn.HEADER, schema = @Schema(type = "string"))})
    @MetadataResponses
    @Get("/by-name")
    public HttpResponse<?> byName(HttpRequest<?> request, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        return metadata(fetch.byName(caller, QueryString.single(request, "filename").orElse(null)), request);
    }

    @Operation(operationId = "getImage", summary = "An image's metadata",
            parameters = {
                    @Parameter(name = "If-None-Match", in = ParameterIn.HEADER, schema = @Schema(type = "string")),
                    @Parameter(name = "If-Match", in = ParameterIn.HEADER, schema = @Schema(type = "string")),
                    @Parameter(name = "If-Unmodified-Since", in = ParameterIn.HEADER, schema = @Schema(type = "string"))})
    @MetadataResponses
    @Get("/{id}")
    public HttpResponse<?> get(@Parameter(description = "The image id", schema = @Schema(type = "string", format = "uuid")) String id, HttpRequest<?> request, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        return metadata(fetch.describe(caller, id), request);
    }

    // Produces any type: the stored one (Accept: image/* from an image loader must not get a 406). A line comment, as
    // above: not the document's description.
    @Operation(operationId = "getImageContent", summary = "The image's bytes, streamed; ranges, revalidation, signed redirects",
            parameters = {
                    @Parameter(name = "download", in = ParameterIn.QUERY, description = "1: Content-Disposition attachment",
                            schema = @Schema(type = "string", allowableValues = {"1", "true", "0", "false"})),
                    @Parameter(name = "redirect", in = ParameterIn.QUERY, description = "1: a 307 to a short-lived signed "
                            + "storage URL, where the storage backend can sign", schema = @Schema(type = "string", allowableValues = {"1", "true", "0", "false"})),
                    @Parameter(name = "Range", in = ParameterIn.HEADER, description = "bytes=first-last, one range", schema = @Schema(type = "string")),
                    @Parameter(name = "If-Range", in = ParameterIn.HEADER, schema = @Schema(type = "string")),
                    @Parameter(name = "If-None-Match", in = ParameterIn.HEADER, schema = @Schema(type = "string")),
                    @Parameter(name = "If-Modified-Since", in = ParameterIn.HEADER, schema = @Schema(type = "string")),
                    @Parameter(name = "If-Match", in = ParameterIn.HEADER, schema = @Schema(type = "string")),
                    @Parameter(name = "If-Unmodified-Since", in = ParameterIn.HEADER, schema = @Schema(type = "string"))})
    @ApiResponse(responseCode = "200", description = "The bytes, in the stored Content-Type",
            headers = {@Header(name = "ETag", description = "Strong validator of this representation", schema = @Schema(type = "string")), @Header(name = "Last-Modified", schema = @Schema(type = "string")), @Header(name = "Cache-Control", schema = @Schema(type = "string")), @Header(name = "Content-Disposition", description = "inline (attachment with ?download=1); filename*=UTF-8''…", schema = @Schema(type = "string")), @Header(name = "Accept-Ranges", schema = @Schema(type = "string")), @Header(name = "X-Content-Type-Options", schema = @Schema(type = "string")), @Header(name = "Content-Security-Policy", description = "default-src 'none'; sandbox", schema = @Schema(type = "string")), @Header(name = "Content-Length", schema = @Schema(type = "integer", format = "int64"))},
            content = @Content(mediaType = "image/*", schema = @Schema(type = "string", format = "binary")))
    @ApiResponse(responseCode = "206", description = "The requested range",
            headers = {@Header(name = "Content-Range", schema = @Schema(type = "string")), @Header(name = "ETag", description = "Strong validator of this representation", schema = @Schema(type = "string")), @Header(name = "Last-Modified", schema = @Schema(type = "string")), @Header(name = "Cache-Control", schema = @Schema(type = "string")), @Header(name = "Content-Disposition", description = "inline (attachment with ?download=1); filename*=UTF-8''…", schema = @Schema(type = "string")), @Header(name = "Accept-Ranges", schema = @Schema(type = "string")), @Header(name = "X-Content-Type-Options", schema = @Schema(type = "string")), @Header(name = "Content-Security-Policy", description = "default-src 'none'; sandbox", schema = @Schema(type = "string")), @Header(name = "Content-Length", schema = @Schema(type = "integer", format = "int64"))},
            content = @Content(mediaType = "image/*", schema = @Schema(type = "string", format = "binary")))
    @ApiResponse(responseCode = "304", description = "Not modified", headers = {@Header(name = "ETag", description = "Strong validator of this representation", schema = @Schema(type = "string")), @Header(name = "Last-Modified", schema = @Schema(type = "string")), @Header(name = "Cache-Control", schema = @Schema(type = "string"))})
    @ApiResponse(responseCode = "307", description = "To a short-lived signed storage URL (?redirect=1)",
            headers = {@Header(name = "Location", schema = @Schema(type = "string", format = "uri")), @Header(name = "Cache-Control", schema = @Schema(type = "string"))})
    @ApiResponse(responseCode = "404", description = "No such image of the caller's", content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = ApiProblems.ReadImage.class)))
    @ImagePreconditionFailed
    @ApiResponse(responseCode = "416", description = "The range lies beyond the end",
            headers = {@Header(name = "Content-Range", schema = @Schema(type = "string"))},
            content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = ApiProblems.ReadImage.class)))
    @Get(value = "/{id}/content", produces = MediaType.ALL)
    public HttpResponse<?> content(@Parameter(description = "The image id", schema = @Schema(type = "string", format = "uuid")) String id, HttpRequest<?> request, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        return serve(fetch.get(caller, id), request);
    }

    /**
     * A thumbnail ({@code ?size=&fit=&format=&v=}). Its ETag is known before anything is read, so a revalidation is a
     * 304 without touching storage; a request naming the version is immutable, since a new version is a new URL.
     */
    @Operation(operationId = "getImageThumbnail", summary = "A thumbnail, rendered once per version and spec",
            description = "A request naming the current version (v, as the image's thumbnailUrl does) is immutable.",
            parameters = {
                    @Parameter(name = "size", in = ParameterIn.QUERY, description = "One of THUMBNAIL_SIZES (default 160,320,640,1280,2048)",
                            schema = @Schema(type = "integer", defaultValue = "320")),
                    @Parameter(name = "fit", in = ParameterIn.QUERY, schema = @Schema(type = "string", allowableValues = {"inside", "cover"}, defaultValue = "inside")),
                    @Parameter(name = "format", in = ParameterIn.QUERY, description = "Default: jpeg for opaque sources, png with alpha",
                            schema = @Schema(type = "string", allowableValues = {"jpeg", "png"})),
                    @Parameter(name = "v", in = ParameterIn.QUERY, description = "The image version; not the current one: 404",
                            schema = @Schema(type = "integer")),
                    @Parameter(name = "If-None-Match", in = ParameterIn.HEADER, schema = @Schema(type = "string"))})
    @ApiResponse(responseCode = "200", description = "The thumbnail",
            headers = {@Header(name = "ETag", description = "Strong validator of this representation", schema = @Schema(type = "string")), @Header(name = "Cache-Control", schema = @Schema(type = "string")), @Header(name = "Content-Disposition", description = "inline (attachment with ?download=1); filename*=UTF-8''…", schema = @Schema(type = "string")), @Header(name = "X-Content-Type-Options", schema = @Schema(type = "string")), @Header(name = "Content-Security-Policy", description = "default-src 'none'; sandbox", schema = @Schema(type = "string")), @Header(name = "Content-Length", schema = @Schema(type = "integer", format = "int64"))},
            content = {@Content(mediaType = "image/jpeg", schema = @Schema(type = "string", format = "binary")),
                    @Content(mediaType = "image/png", schema = @Schema(type = "string", format = "binary"))})
    @ApiResponse(responseCode = "304", description = "Not modified", headers = {@Header(name = "ETag", description = "Strong validator of this representation", schema = @Schema(type = "string")), @Header(name = "Cache-Control", schema = @Schema(type = "string"))})
    @ApiResponse(responseCode = "400", description = "invalid_parameter: bad size, fit or format (detail lists the allowed values)", content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = ApiProblems.ReadImage.class)))
    @ApiResponse(responseCode = "404", description = "No such image of the caller's, or v is not the current version", content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = ApiProblems.ReadImage.class)))
    @ApiResponse(responseCode = "422", description = "thumbnail_unsupported (names the type) or image_unreadable", content = @Content(mediaType = ApiProblems.MEDIA_TYPE, schema = @Schema(implementation = ApiProblems.ReadImage.class)))
    @Get(value = "/{id}/thumbnail", produces = MediaType.ALL)
    public HttpResponse<?> thumbnail(@Parameter(description = "The image id", schema = @Schema(type = "string", format = "uuid")) String id, HttpRequest<?> request, @RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
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
