package io.imgstream.cleanup;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import io.imgstream.application.cleanup.CleanupMessage;
import io.imgstream.application.cleanup.RunCleanup;
import io.imgstream.config.EnvironmentCheck;
import io.imgstream.domain.ErrorCode;
import io.imgstream.web.Problem;
import io.imgstream.json.StrictJson;
import io.micronaut.gcp.function.GoogleFunctionInitializer;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Inject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Entry point of the deployed cleanup function (terraform/main.tf): an HTTP function that the cleanup subscription of
 * terraform/messaging.tf pushes each scheduled message to, {@code {"message":{"data":…,…},"subscription":…}}, so that
 * the subscription's retry and dead-letter policy are Terraform's resources. A 2xx answer acknowledges the message; a
 * failing run is a 500, so Pub/Sub delivers it again and, after the subscription's attempts, dead-letters it. A message
 * that cannot be parsed would fail the same way forever, so it is acknowledged and logged, as {@link CleanupFunction}
 * does for the same message as a CloudEvent. Only the subscription's push identity may invoke the function: a body that
 * is no push request is a stray caller's, answered with a 400 problem, and nothing runs.
 */
public class CleanupPushFunction extends GoogleFunctionInitializer implements HttpFunction {

    /** A push request is one small JSON envelope; anything larger is no Pub/Sub push. */
    private static final int MAX_PUSH_BYTES = 1 << 20;

    static {
        // Before Micronaut binds the settings: a malformed number or boolean is one line naming its variable.
        EnvironmentCheck.verify(System.getenv());
    }

    @Inject
    RunCleanup runCleanup;

    @Override
    public void service(HttpRequest request, HttpResponse response) throws Exception {
        if (!"POST".equals(request.getMethod())) {
            response.appendHeader("Allow", "POST");
            problem(response, ErrorCode.METHOD_NOT_ALLOWED, "The cleanup function takes a POSTed Pub/Sub push request.");
            return;
        }
        byte[] body = request.getInputStream().readNBytes(MAX_PUSH_BYTES + 1);
        String encoded;
        String messageId;
        try {
            if (body.length > MAX_PUSH_BYTES) {
                throw new IllegalArgumentException("larger than a push request");
            }
            JsonNode envelope = StrictJson.read(body);
            JsonNode message = envelope.isObject() ? envelope.get("message") : null;
            if (message == null || !message.isObject()) {
                throw new IllegalArgumentException("no message");
            }
            JsonNode data = message.get("data");
            if (data != null && !data.isNull() && !data.isString()) {
                throw new IllegalArgumentException("data is not a string");
            }
            encoded = data == null || data.isNull() ? null : data.getStringValue();
            JsonNode id = message.get("messageId");
            messageId = id != null && id.isString() ? id.getStringValue() : "(no messageId)";
        } catch (IOException | RuntimeException e) {
            problem(response, ErrorCode.BAD_REQUEST, "Not a Pub/Sub push request ({\"message\":{\"data\":…},\"subscription\":…}).");
            return;
        }
        CleanupMessage.read(messageId, encoded).ifPresent(runCleanup::run);
        response.setStatusCode(204);
    }

    private static void problem(HttpResponse response, ErrorCode code, String detail) throws IOException {
        response.setStatusCode(code.status());
        response.setContentType(Problem.MEDIA_TYPE);
        response.getOutputStream().write(Problem.json(code, detail).getBytes(StandardCharsets.UTF_8));
    }
}
