package io.imgstream.web;

import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import io.imgstream.config.EnvironmentCheck;
import io.imgstream.domain.ErrorCode;
import io.micronaut.gcp.function.http.HttpFunction;

import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * The entry point of the upload, fetch and collision-check functions: Micronaut's {@link HttpFunction},
 * plus the one refusal that must happen before Micronaut sees a request. Micronaut parses the request URL
 * as a {@link URI} before routing and throws on one that is not valid percent-encoding ({@code %zz}),
 * which the Functions Framework answers with an empty 500; here it is a 400 problem like every other bad
 * input.
 */
public class ImgStreamHttpFunction extends HttpFunction {

    /** A status Micronaut cannot carry (tus's 460): set on the response by this header, which is not sent. */
    public static final String STATUS_HEADER = "ImgStream-Status";

    static {
        // Before Micronaut binds the settings: a malformed number or boolean is one line naming its variable.
        EnvironmentCheck.verify(System.getenv());
    }

    @Override
    public void service(HttpRequest request, HttpResponse response) throws Exception {
        try {
            URI.create(request.getUri());
        } catch (IllegalArgumentException e) {
            refuse(response, ErrorCode.BAD_REQUEST,
                    "The request URL is not valid: every '%' must start a two-digit hexadecimal escape.");
            return;
        }
        super.service(request, new StatusOverride(response));
    }

    /** Passes everything through but {@link #STATUS_HEADER}, which becomes the status. */
    private static final class StatusOverride implements HttpResponse {
        private final HttpResponse delegate;
        private boolean overridden;

        StatusOverride(HttpResponse delegate) {
            this.delegate = delegate;
        }

        @Override
        public void setStatusCode(int code) {
            if (!overridden) {
                delegate.setStatusCode(code);
            }
        }

        @Override
        public void setStatusCode(int code, String message) {
            if (!overridden) {
                delegate.setStatusCode(code, message);
            }
        }

        @Override
        public void setContentType(String contentType) {
            delegate.setContentType(contentType);
        }

        @Override
        public java.util.Optional<String> getContentType() {
            return delegate.getContentType();
        }

        @Override
        public void appendHeader(String header, String value) {
            if (STATUS_HEADER.equalsIgnoreCase(header)) {
                overridden = true;
                delegate.setStatusCode(Integer.parseInt(value));
                return;
            }
            delegate.appendHeader(header, value);
        }

        @Override
        public java.util.Map<String, java.util.List<String>> getHeaders() {
            return delegate.getHeaders();
        }

        @Override
        public OutputStream getOutputStream() throws java.io.IOException {
            return delegate.getOutputStream();
        }

        @Override
        public java.io.BufferedWriter getWriter() throws java.io.IOException {
            return delegate.getWriter();
        }
    }

    private static void refuse(HttpResponse response, ErrorCode code, String detail) throws java.io.IOException {
        byte[] body = Problem.json(code, detail).getBytes(StandardCharsets.UTF_8);
        response.setStatusCode(code.status());
        response.setContentType(Problem.MEDIA_TYPE);
        response.appendHeader("Content-Length", Integer.toString(body.length));
        try (OutputStream out = response.getOutputStream()) {
            out.write(body);
        }
    }
}
