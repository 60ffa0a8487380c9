package io.imgstream.web;

import io.imgstream.domain.ErrorCode;
import io.imgstream.domain.ImageDetails;
import io.imgstream.domain.ImgStreamException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;

/** Builds problem+json responses the same way for every function. */
public final class ProblemResponses {

    /**
     * A 503 is transient (the database or storage did not answer within its bound, or a render slot is busy): the
     * client may retry after this many seconds (RFC 9110 §10.2.3), about the time a restarted dependency needs.
     */
    public static final String RETRY_AFTER_SECONDS = "5";

    private ProblemResponses() {
    }

    private static boolean isKnown(int status) {
        try {
            HttpStatus.valueOf(status);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public static MutableHttpResponse<Problem> of(ImgStreamException e, @Nullable HttpRequest<?> request) {
        return of(e.code(), e.detail(), extension(e), request);
    }

    public static MutableHttpResponse<Problem> of(ErrorCode code, String detail, @Nullable Object existing,
                                                  @Nullable HttpRequest<?> request) {
        MutableHttpResponse<Problem> response;
        if (code.status() < 600 && isKnown(code.status())) {
            response = HttpResponse.status(HttpStatus.valueOf(code.status()));
        } else {
            // tus's 460 (checksum mismatch) is no HttpStatus of Micronaut's, whose pipeline refuses it: the entry point
            // sets it on the way out (ImgStreamHttpFunction).
            response = HttpResponse.<Problem>status(HttpStatus.BAD_REQUEST).header(ImgStreamHttpFunction.STATUS_HEADER,
                    Integer.toString(code.status()));
        }
        return fill(response, code, detail, existing, request);
    }

    /**
     * Makes {@code response}, whose status is already {@code code}'s (a framework refusal, the CORS filter's 403), the
     * problem: the headers its code carries ({@code WWW-Authenticate} on a 401, {@code Retry-After} on a 503), the media
     * type, and the body (none for HEAD).
     */
    public static <T> MutableHttpResponse<T> fill(MutableHttpResponse<T> response, ErrorCode code, String detail,
                                                  @Nullable Object existing, @Nullable HttpRequest<?> request) {
        if (code == ErrorCode.UNAUTHORIZED) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"imgstream\"");
        }
        if (code == ErrorCode.SERVICE_UNAVAILABLE) {
            response.header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
        }
        response.contentType(Problem.MEDIA_TYPE);
        if (request != null && request.getMethod() == HttpMethod.HEAD) {
            return response;
        }
        @SuppressWarnings("unchecked")
        MutableHttpResponse<Object> body = (MutableHttpResponse<Object>) response;
        body.body(body(code, detail, existing, request));
        return response;
    }

    /** The problem of {@code e} as a body inside another answer (one part of a multipart upload's results). */
    public static Problem body(ImgStreamException e, @Nullable HttpRequest<?> request) {
        return body(e.code(), e.detail(), extension(e), request);
    }

    private static Problem body(ErrorCode code, String detail, @Nullable Object existing, @Nullable HttpRequest<?> request) {
        return Problem.of(code, detail, request == null ? null : request.getPath(), existing);
    }

    /** The conflicting image of a {@code filename_conflict} as the API shows images; any other extension as it is. */
    private static @Nullable Object extension(ImgStreamException e) {
        return e.extension() instanceof ImageDetails existing ? ImageView.of(existing) : e.extension();
    }
}
