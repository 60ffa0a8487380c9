package io.imgstream.web;

import io.imgstream.domain.ErrorCode;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.annotation.NonNull;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;

import java.util.stream.Collectors;

/**
 * The framework's own refusals (unknown route, wrong method, malformed JSON, wrong content type, failed
 * validation, unhandled exceptions) as problem+json. Framework messages are not passed through for server
 * errors: they can name classes or internals.
 */
@Singleton
@Replaces(ErrorResponseProcessor.class)
public class ProblemErrorResponseProcessor implements ErrorResponseProcessor<Problem> {

    @Override
    @NonNull
    public MutableHttpResponse<Problem> processResponse(@NonNull ErrorContext context,
                                                        @NonNull MutableHttpResponse<?> response) {
        int status = response.code();
        ErrorCode code = codeFor(status, context);
        @SuppressWarnings("unchecked")
        MutableHttpResponse<Problem> problem = (MutableHttpResponse<Problem>) response;
        return ProblemResponses.fill(problem, code, detailFor(code, context), null, context.getRequest());
    }

    private static ErrorCode codeFor(int status, ErrorContext context) {
        if (status == 400 && context.getRootCause().map(ProblemErrorResponseProcessor::isJsonError).orElse(false)) {
            return ErrorCode.MALFORMED_JSON;
        }
        if (status == 400 && !context.getErrors().isEmpty()) {
            return ErrorCode.INVALID_PARAMETER;
        }
        return ErrorCode.forStatus(status);
    }

    private static boolean isJsonError(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            String name = c.getClass().getName();
            if (name.startsWith("com.fasterxml.jackson") || name.startsWith("io.micronaut.serde")
                    || name.contains("Json")) {
                return true;
            }
        }
        return false;
    }

    private static String detailFor(ErrorCode code, ErrorContext context) {
        return switch (code) {
            case NOT_FOUND -> "No such resource.";
            case METHOD_NOT_ALLOWED -> "This resource does not support the method " + context.getRequest().getMethodName() + ".";
            case UNSUPPORTED_MEDIA_TYPE -> "The request's Content-Type is not accepted here.";
            case NOT_ACCEPTABLE -> "No acceptable representation; this resource answers JSON.";
            case MALFORMED_JSON -> "The request body is not valid JSON of the expected shape.";
            case PAYLOAD_TOO_LARGE -> "The request body is too large.";
            case INVALID_PARAMETER -> context.getErrors().stream()
                    .map(e -> e.getMessage().replaceAll("[A-Za-z]+\\.[a-z][A-Za-z]+\\.", ""))
                    .collect(Collectors.joining("; "));
            case BAD_REQUEST -> "The request is malformed.";
            case INTERNAL_ERROR -> "An unexpected error occurred; it has been logged.";
            default -> code.title() + ".";
        };
    }
}
