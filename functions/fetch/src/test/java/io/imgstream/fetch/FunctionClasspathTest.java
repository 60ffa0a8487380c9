package io.imgstream.fetch;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Fetch never publishes: micronaut-gcp-pubsub (about 160 classes at start, and a push route) stays off its
 * class path, which is the class path of the deployed jar (shared declares the module optional).
 */
class FunctionClasspathTest {

    @Test
    void carriesNoPubSubModule() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("io.micronaut.gcp.pubsub.annotation.PubSubClient"));
        assertThrows(ClassNotFoundException.class, () -> Class.forName("com.google.cloud.pubsub.v1.Publisher"));
    }
}
