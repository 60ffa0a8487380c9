package io.imgstream.cleanup;

import com.google.events.cloud.pubsub.v1.MessagePublishedData;
import io.cloudevents.CloudEventContext;
import io.imgstream.application.cleanup.CleanupMessage;
import io.imgstream.application.cleanup.CleanupRequest;
import io.imgstream.application.cleanup.RunCleanup;
import io.imgstream.config.EnvironmentCheck;
import io.micronaut.gcp.function.cloudevents.GoogleCloudEventsFunction;
import jakarta.inject.Inject;

import java.util.Optional;

/**
 * Entry point of the cleanup function as a CloudEvent function: a {@code google.cloud.pubsub.topic.v1.messagePublished}
 * CloudEvent (Eventarc; the local emulator's cleanup port). Deployed, cleanup is {@link CleanupPushFunction}, which
 * takes the Pub/Sub push requests of terraform/messaging.tf's subscription and runs the same job. Returning
 * acknowledges the message; throwing makes Pub/Sub retry and, after the subscription's attempts, dead-letter it. A
 * message that cannot be read would fail the same way forever, so it is acknowledged and logged instead
 * ({@link CleanupMessage#read}).
 */
public class CleanupFunction extends GoogleCloudEventsFunction<MessagePublishedData> {

    static {
        // Before Micronaut binds the settings: a malformed number or boolean is one line naming its variable.
        EnvironmentCheck.verify(System.getenv());
    }

    @Inject
    RunCleanup runCleanup;

    @Override
    protected void accept(CloudEventContext context, MessagePublishedData data) {
        // No envelope is not "no data": Micronaut hands over null when the event's body is no Pub/Sub envelope
        // (garbage, another event type), and that must not start a full run.
        Optional<CleanupRequest> request = data == null || data.getMessage() == null
                ? CleanupMessage.unreadable(context.getId(), "the event carries no Pub/Sub message")
                : CleanupMessage.read(context.getId(), data.getMessage().getData());
        request.ifPresent(runCleanup::run);
    }
}
