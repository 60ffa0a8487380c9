package io.imgstream.cleanup;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import com.google.events.cloud.pubsub.v1.MessagePublishedData;
import io.cloudevents.CloudEventContext;
import io.imgstream.application.cleanup.CleanupMessage;
import io.imgstream.application.cleanup.CleanupRequest;
import io.imgstream.application.cleanup.RunCleanup;
import io.imgstream.config.EnvironmentCheck;
import io.imgstream.domain.ErrorCode;
import io.imgstream.web.Problem;
import io.imgstream.web.StrictJson;
import io.micronaut.gcp.function.cloudevents.GoogleCloudEventsFunction;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Inject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Base64;

/**
 * Entry point of the cleanup function, in either of the Functions Framework's signatures:
 * <ul>
 * <li>{@code cloudevent}: a {@code google.cloud.pubsub.topic.v1.messagePublished} CloudEvent (Eventarc, the local
 * emulator's cleanup port);</li>
 * <li>{@code http}: a Pub/Sub push request, {@code {"message":{"data":…,…},"subscription":…}}, which is how it is
 * deployed (terraform/messaging.tf: Cloud Scheduler → Pub/Sub → a push subscription whose retry and dead-letter policy
 * Terraform manages). A 2xx answer acknowledges the message, any other makes Pub/Sub deliver it again.</li>
 * </ul>
 * Returning acknowledges the message; throwing (a 500 in the http signature) makes Pub/Sub retry and, after the
 * subscription's attempts, dead-letter it. A message that cannot be parsed would fail the same way forever, so it is
 * acknowledged and logged instead.
 */
public class CleanupFunction extends GoogleCloudEventsFunction<MessagePublishedData> implements HttpFunction {

    /** A push request is one small JSON envelope; anything larger is no Pub/Sub push. */
    private static final int MAX_PUSH_BYTES = 1 << 20;

    private static final Logger LOG = LoggerFactory.getLogger(CleanupFunction.class);

    static {
        // Before Micronaut binds the settings: a malformed number or boolean is one line naming its variable.
        EnvironmentCheck.verify(System.getenv());
    }

    @Inject
    RunCleanup runCleanup;

    @Override
    protected void accept(CloudEventContext context, MessagePublishedData data) {
        CleanupRequest request;
        try {
            request = decode(data);
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("Cleanup message {} acknowledged without running: {}", context.getId(), e.getMessage());
            return;
        }
        runCleanup.run(request);
    }

    /**
     * A Pub/Sub push request (the deployed path). Only the push subscription's identity may invoke the function, so a
     * body that is no push envelope is a stray request: a 400 problem, and nothing runs.
     */
    @Override
    public void service(HttpRequest request, HttpResponse response) throws Exception {
        if (!"POST".equals(request.getMethod())) {
            response.appendHeader("Allow", "POST");
            problem(response, ErrorCode.METHOD_NOT_ALLOWED, "The cleanup function takes a POSTed Pub/Sub push request.");
            return;
        }
        byte[] body = request.getInputStream().readNBytes(MAX_PUSH_BYTES + 1);
        String encoded;
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
            encoded = data == null || data.isNull() ? null : data.getStringValue();
        } catch (IOException | RuntimeException e) {
            problem(response, ErrorCode.BAD_REQUEST, "Not a Pub/Sub push request ({\"message\":{\"data\":…},\"subscription\":…}).");
            return;
        }
        CleanupRequest cleanup;
        try {
            cleanup = decode(encoded);
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("Cleanup push message acknowledged without running: {}", e.getMessage());
            response.setStatusCode(204);
            return;
        }
        runCleanup.run(cleanup);
        response.setStatusCode(204);
    }

    private static void problem(HttpResponse response, ErrorCode code, String detail) throws IOException {
        response.setStatusCode(code.status());
        response.setContentType(Problem.MEDIA_TYPE);
        response.getOutputStream().write(Problem.json(code, detail).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private CleanupRequest decode(MessagePublishedData data) throws IOException {
        // No envelope at all is not "no data": Micronaut hands over null when the event's body is not a Pub/Sub
        // envelope (garbage, another event type), and that must not start a full run.
        if (data == null || data.getMessage() == null) {
            throw new IllegalArgumentException("the event carries no Pub/Sub message");
        }
        return decode(data.getMessage().getData());
    }

    /** The cleanup request in a message's base64 data; no data, or blank data, runs every task. */
    private static CleanupRequest decode(String encoded) throws IOException {
        if (encoded == null || encoded.isBlank()) {
            return CleanupRequest.everything();
        }
        byte[] decoded = Base64.getDecoder().decode(encoded.trim());
        if (new String(decoded, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            return CleanupRequest.everything();
        }
        JsonNode message;
        try {
            message = StrictJson.read(decoded);
        } catch (StrictJson.Malformed e) {
            throw new IllegalArgumentException("message data is not one unambiguous JSON value: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("message data is not JSON");
        }
        return CleanupMessage.parse(message);
    }
}
