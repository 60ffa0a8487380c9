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
        super.service(request, response);
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
