package io.imgstream.application;

import io.imgstream.support.IntegrationTestProperties;
import io.imgstream.dev.Scratch;
import io.micronaut.context.ApplicationContext;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest(startApplication = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CheckHealthTest implements IntegrationTestProperties {

    @Inject
    CheckHealth checkHealth;

    @Test
    void upWhenDatabaseAndStorageAnswer() {
        CheckHealth.Report report = checkHealth.check();
        assertTrue(report.healthy());
        assertEquals(Map.of("database", "up", "storage", "up"), report.services());
    }

    @Test
    void namesTheDatabaseWhenItCannotBeReached() throws Exception {
        var dir = Scratch.directory("health");
        try (ApplicationContext ctx = ApplicationContext.run(Map.of(
                "imgstream.database.url", "jdbc:postgresql://127.0.0.1:9/none?connectTimeout=1",
                "imgstream.storage.local-dir", dir.toString()))) {
            CheckHealth.Report report = ctx.getBean(CheckHealth.class).check();
            assertFalse(report.healthy());
            assertEquals("down", report.services().get("database"));
            assertEquals("up", report.services().get("storage"));
        }
    }
}
