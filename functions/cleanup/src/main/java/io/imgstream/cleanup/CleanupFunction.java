package io.imgstream.cleanup;

import com.google.events.cloud.pubsub.v1.MessagePublishedData;
import io.cloudevents.CloudEventContext;
import io.imgstream.application.cleanup.CleanupMessage;
import io.imgstream.application.cleanup.CleanupRequest;
import io.imgstream.application.cleanup.RunCleanup;
import io.imgstream.config.EnvironmentCheck;
import io.imgstream.web.StrictJson;
import io.micronaut.gcp.function.cloudevents.GoogleCloudEventsFunction;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Inject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Base64;

/**
 * Entry point of the cleanup function as a CloudEvent function: a {@code google.cloud.pubsub.topic.v1.messagePublished}
 * CloudEvent (Eventarc; the local emulator's cleanup port). Deployed, cleanup is {@link CleanupPushFunction}, which
 * takes the Pub/Sub push requests of terraform/messaging.tf's subscription and runs the same job. Returning
 * acknowledges the message; throwing makes Pub/Sub retry and, after the subscription's attempts, dead-letter it. A
 * message that cannot be parsed would fail the same way forever, so it is acknowledged and logged instead.
 */
public class CleanupFunction extends GoogleCloudEventsFunction<MessagePublishedData> {

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

    private CleanupRequest decode(MessagePublishedData data) throws IOException {
        // No envelope at all is not "no data": Micronaut hands over null when the event's body is not a Pub/Sub
        // envelope (garbage, another event type), and that must not start a full run.
        if (data == null || data.getMessage() == null) {
            throw new IllegalArgumentException("the event carries no Pub/Sub message");
        }
        return decode(data.getMessage().getData());
    }

    /**
     * The cleanup request in a Pub/Sub message's base64 data (shared with {@link CleanupPushFunction}); no data, or
     * blank data, runs every task.
     */
    static CleanupRequest decode(String encoded) throws IOException {
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
