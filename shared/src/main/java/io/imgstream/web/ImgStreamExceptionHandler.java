package io.imgstream.web;

import io.imgstream.domain.ErrorCode;
import io.imgstream.domain.ImgStreamException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * Every refusal of the domain becomes its problem+json; server-side failures are logged with their cause. A 413 first
 * drains a small rest of the body, so the answer is not lost to the reset of a connection closed with unread bytes.
 */
@Produces
@Singleton
@Requires(classes = ExceptionHandler.class)
public class ImgStreamExceptionHandler implements ExceptionHandler<ImgStreamException, HttpResponse<Problem>> {

    private static final Logger LOG = LoggerFactory.getLogger(ImgStreamExceptionHandler.class);

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, ImgStreamException exception) {
        if (exception.code().status() >= 500) {
            LOG.error("{} {} failed: {}", request.getMethod(), request.getPath(), exception.code().code(), exception);
        }
        if (exception.code() == ErrorCode.PAYLOAD_TOO_LARGE) {
            try {
                RequestBodies.drainBeforeRefusing(request);
            } catch (IOException e) {
                LOG.debug("{} {}: the client stopped sending before its 413: {}", request.getMethod(), request.getPath(),
                        e.toString());
            }
        }
        return ProblemResponses.of(exception, request);
    }
}
