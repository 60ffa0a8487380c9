package io.imgstream.application;

import com.google.pubsub.v1.PublishRequest;
import com.google.pubsub.v1.PublishResponse;
import com.google.pubsub.v1.PublisherGrpc;
import com.google.pubsub.v1.PubsubMessage;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.stub.StreamObserver;
import io.imgstream.application.cleanup.CleanupRequest;
import io.imgstream.application.cleanup.CleanupTask;
import io.imgstream.application.cleanup.RunCleanup;
import io.imgstream.application.upload.UploadCommand;
import io.imgstream.application.upload.UploadImage;
import io.imgstream.domain.Caller;
import io.imgstream.domain.ConflictPolicy;
import io.imgstream.support.Fixtures;
import io.imgstream.dev.Scratch;
import io.imgstream.dev.TestDatabase;
import io.imgstream.dev.TestImages;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Events reach Pub/Sub through the real client (micronaut-gcp-pubsub → gRPC) talking to an in-process
 * server of the Publisher service; with Pub/Sub down, uploads still succeed and events wait in the outbox.
 */
class EventPublishingTest {

    private final List<PubsubMessage> received = new CopyOnWriteArrayList<>();
    private Server pubsub;
    private int port;
    private ApplicationContext context;

    private Server startPubSub() throws Exception {
        return ServerBuilder.forPort(port).addService(new PublisherGrpc.PublisherImplBase() {
            @Override
            public void publish(PublishRequest request, StreamObserver<PublishResponse> response) {
                PublishResponse.Builder ids = PublishResponse.newBuilder();
                for (PubsubMessage m : request.getMessagesList()) {
                    received.add(m);
                    ids.addMessageIds("m" + received.size());
                }
                response.onNext(ids.build());
                response.onCompleted();
            }
        }).build().start();
    }

    @BeforeEach
    void setUp() throws Exception {
        TestDatabase.truncateAll();
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        pubsub = startPubSub();
        context = ApplicationContext.run(Map.of(
                "imgstream.database.url", TestDatabase.jdbcUrl(),
                "imgstream.storage.local-dir", Scratch.directory("events").toString(),
                "imgstream.events-topic", "image-events",
                "gcp.project-id", "test-project",
                "pubsub.emulator.host", "127.0.0.1:" + port));
    }

    @AfterEach
    void tearDown() {
        context.close();
        pubsub.shutdownNow();
    }

    private Caller caller() {
        String key = Fixtures.userWithKey(context.getBean(AdministerAccounts.class), "events");
        return context.getBean(AuthenticateCaller.class).authenticate(null, key);
    }

    private void upload(Caller caller, String name, int seed) {
        byte[] png = TestImages.png(seed);
        context.getBean(UploadImage.class).upload(new UploadCommand(caller, name, new ByteArrayInputStream(png),
                png.length, ConflictPolicy.OVERWRITE));
    }

    @Test
    void publishesEachChangeAfterItsTransaction() {
        Caller caller = caller();
        upload(caller, "a.png", 1);
        upload(caller, "a.png", 2);
        assertEquals(2, received.size());
        assertEquals("image.uploaded", received.get(0).getAttributesOrThrow("eventType"));
        assertEquals("image.replaced", received.get(1).getAttributesOrThrow("eventType"));
        String data = received.get(1).getData().toStringUtf8().replace(" ", "");
        assertTrue(data.contains("\"type\":\"image.replaced\"") && data.contains("\"version\":2"), data);
        assertEquals(0, TestDatabase.count("select count(*) from event_outbox where published_at is null"));
    }

    @Test
    void withPubSubDownUploadsSucceedAndTheRelayPublishesLater() throws Exception {
        Caller caller = caller();
        pubsub.shutdownNow().awaitTermination();
        upload(caller, "down.png", 3);
        assertEquals(1, TestDatabase.count("select count(*) from images"));
        assertEquals(1, TestDatabase.count("select count(*) from event_outbox where published_at is null"));
        pubsub = startPubSub();
        // The client's channel may still be in its reconnect backoff; the relay runs again (hourly in
        // production) until the event is out, and sends it exactly once in total.
        long relayed = 0;
        for (int run = 0; run < 30 && TestDatabase.count("select count(*) from event_outbox where published_at is null") > 0; run++) {
            var report = context.getBean(RunCleanup.class).run(new CleanupRequest(Set.of(CleanupTask.OUTBOX_RELAY), false, 100));
            relayed += report.counts().getOrDefault("outbox_relay", 0L);
            if (relayed == 0) {
                Thread.sleep(500);
            }
        }
        assertEquals(1L, relayed);
        assertEquals(0, TestDatabase.count("select count(*) from event_outbox where published_at is null"));
        assertTrue(received.stream().anyMatch(m -> m.getAttributesOrThrow("eventType").equals("image.uploaded")));
    }
}
