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
        Object extension = e.extension() instanceof ImageDetails existing ? ImageView.of(existing) : e.extension();
        return of(e.code(), e.detail(), extension, request);
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
        String instance = request == null ? null : request.getPath();
        return response.body(Problem.of(code, detail, instance, existing));
    }
}
