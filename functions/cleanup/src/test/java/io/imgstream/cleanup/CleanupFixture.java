package io.imgstream.cleanup;

import io.imgstream.dev.TestDatabase;
import io.imgstream.support.FunctionServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * A cleanup function under the invoker for a test class, and before each test the crash-shaped fixture it is driven
 * against: an upload that wrote its object and never committed its row, two hours ago. Registered with
 * {@code @RegisterExtension} on a static field.
 */
final class CleanupFixture implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {

    private final Supplier<FunctionServer> start;
    private final String user;
    private FunctionServer server;
    private String objectName;

    /** @param user the stale upload's owner (a UUID) */
    CleanupFixture(Supplier<FunctionServer> start, String user) {
        this.start = start;
        this.user = user;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = start.get();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        server.close();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        TestDatabase.truncateAll();
        TestDatabase.execute("insert into users (id, name) values ('" + user + "', 'cleanup')");
        objectName = "users/" + user + "/images/" + UUID.randomUUID() + "/v1";
        Path file = server.storageDirectory().resolve(objectName);
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[]{1, 2, 3});
        TestDatabase.execute("insert into pending_uploads (object_name, user_id, image_id, created_at) values ('"
                + objectName + "', '" + user + "', gen_random_uuid(), now() - interval '2 hours')");
    }

    FunctionServer server() {
        return server;
    }

    /** Whether the stale upload's object is still stored. */
    boolean objectExists() {
        return Files.exists(server.storageDirectory().resolve(objectName));
    }

    long pendingRows() {
        return TestDatabase.count("select count(*) from pending_uploads");
    }
}
