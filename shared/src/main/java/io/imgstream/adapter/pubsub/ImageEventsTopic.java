package io.imgstream.adapter.pubsub;

import io.micronaut.context.annotation.Requires;
import io.micronaut.gcp.pubsub.annotation.PubSubClient;
import io.micronaut.gcp.pubsub.annotation.Topic;
import io.micronaut.messaging.annotation.MessageHeader;

import java.util.concurrent.CompletableFuture;

/** The events topic ({@code EVENTS_TOPIC}) through micronaut-gcp-pubsub; returns the broker's message id. */
@PubSubClient
@Requires(classes = PubSubClient.class)
interface ImageEventsTopic {

    @Topic(value = "${imgstream.events-topic}", contentType = "application/json")
    CompletableFuture<String> publish(byte[] data, @MessageHeader("eventType") String eventType,
                                      @MessageHeader("eventId") String eventId);
}
