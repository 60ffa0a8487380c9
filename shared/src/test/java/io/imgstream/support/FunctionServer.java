package io.imgstream.support;

import io.imgstream.dev.TestDatabase;
import io.imgstream.dev.Scratch;
import io.imgstream.dev.LoopbackInvoker;
import io.imgstream.dev.gateway.Gateway;
import io.imgstream.dev.gateway.RoutingTable;
import io.imgstream.application.AdministerAccounts;
import io.micronaut.context.ApplicationContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A function served by the real Functions Framework invoker's servlets (Jetty, as on Cloud Run) on a free
 * loopback port ({@link LoopbackInvoker}), configured through system properties the way environment variables
 * configure it in production.
 * Also gives tests a side context on the same database to create users and keys. Every response received through
 * {@link #send} and {@link #sendForBytes} is held to the API document ({@link ApiContract}) where the module names one.
 *
 * <p>With the system property {@value #VIA_GATEWAY} {@code =true} (the modules' second surefire execution), an HTTP
 * function is also put behind the local gateway ({@link Gateway}, the routing table of {@code terraform/routes.json}, every
 * function of the table → this one invoker, so that the function's own answers to whatever the suite sends stay what
 * they are) and {@link #uri} names the gateway: the same suites then prove the gateway carries every request and answer
 * unchanged. {@code /health} is not a public route (the front door never routes it) and stays addressed directly.
 */
public final class FunctionServer implements AutoCloseable {

    public static final String HTTP_FUNCTION = "io.imgstream.web.ImgStreamHttpFunction";
    /** The system property that runs a suite through the local gateway. */
    public static final String VIA_GATEWAY = "imgstream.test.via-gateway";

    private final LoopbackInvoker invoker;
    private final Gateway gateway;
    private final URI baseUri;
    private final Map<String, String> properties;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private ApplicationContext sideContext;

    private FunctionServer(LoopbackInvoker invoker, Gateway gateway, URI baseUri, Map<String, String> properties) {
        this.invoker = invoker;
        this.gateway = gateway;
        this.baseUri = baseUri;
        this.properties = properties;
    }

    /** Starts {@code target} ({@code http} or {@code cloudevent} signature) against the test database. */
    public static FunctionServer start(String target, String signatureType, Map<String, String> extra) {
        Map<String, String> props = new HashMap<>();
        props.put("imgstream.environment", "test");
        props.put("imgstream.database.url", TestDatabase.jdbcUrl());
        props.put("imgstream.storage.local-dir", Scratch.directory("imgstream-fn-storage").toString());
        props.putAll(extra);
        props.forEach(System::setProperty);
        try {
            LoopbackInvoker invoker = LoopbackInvoker.start(0, target, signatureType,
                    Thread.currentThread().getContextClassLoader());
            URI direct = URI.create("http://127.0.0.1:" + invoker.port());
            Gateway gateway = null;
            if (viaGateway() && "http".equals(signatureType)) {
                RoutingTable table = RoutingTable.load();
                Map<String, URI> backends = new HashMap<>();
                table.functions().forEach(f -> backends.put(f, direct));
                gateway = Gateway.start(0, table, backends, null);
            }
            return new FunctionServer(invoker, gateway, direct, props);
        } catch (Exception e) {
            throw new IllegalStateException("function did not start", e);
        } finally {
            props.keySet().forEach(System::clearProperty);
        }
    }

    public static FunctionServer http(Map<String, String> extra) {
        return start(HTTP_FUNCTION, "http", extra);
    }

    /** True when this run goes through the gateway ({@value #VIA_GATEWAY}). */
    public static boolean viaGateway() {
        return Boolean.getBoolean(VIA_GATEWAY);
    }

    /** Where a client sends {@code pathAndQuery}: the gateway in a gateway run (but for /health), else the function. */
    public URI uri(String pathAndQuery) {
        if (gateway != null && !pathAndQuery.equals("/health") && !pathAndQuery.startsWith("/health?")) {
            return gateway.uri().resolve(pathAndQuery);
        }
        return baseUri.resolve(pathAndQuery);
    }

    /** The function itself, never the gateway. */
    public URI directUri(String pathAndQuery) {
        return baseUri.resolve(pathAndQuery);
    }

    public Path storageDirectory() {
        return Path.of(properties.get("imgstream.storage.local-dir"));
    }

    /** Deletes every stored file (the directory tree stays), for a test that counts what it stored. */
    public void clearStorage() {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(storageDirectory())) {
            files.filter(java.nio.file.Files::isRegularFile).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = client.send(request.timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
            holdToContract(response);
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<byte[]> sendForBytes(HttpRequest.Builder request) {
        try {
            HttpResponse<byte[]> response = client.send(request.timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            holdToContract(response);
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Only where the module names its document: {@link ApiContract} (and the validator on the class path) is loaded only
     * then, so modules without one (cleanup) use this server unchanged.
     */
    private static void holdToContract(HttpResponse<?> response) {
        if (System.getProperty(ApiContract.DOCUMENT_PROPERTY) != null) {
            ApiContract.check(response);
        }
    }

    public HttpResponse<String> get(String path, String apiKey) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).GET();
        if (apiKey != null) {
            b.header("Authorization", "Bearer " + apiKey);
        }
        return send(b);
    }

    /** A context on the same database and storage, for arranging and inspecting state. */
    public synchronized ApplicationContext sideContext() {
        if (sideContext == null) {
            sideContext = ApplicationContext.run(new HashMap<>(properties));
        }
        return sideContext;
    }

    /** Creates {@code user} if needed and returns a new key of theirs. */
    public String keyFor(String user) {
        return Fixtures.userWithKey(sideContext().getBean(AdministerAccounts.class), user);
    }

    @Override
    public void close() throws Exception {
        long forwarded = gateway == null ? -1 : gateway.forwarded();
        if (gateway != null) {
            gateway.close();
        }
        invoker.close();
        if (sideContext != null) {
            sideContext.close();
        }
        if (forwarded == 0) {
            throw new IllegalStateException("a run through the gateway (" + VIA_GATEWAY + ") sent no request through it");
        }
    }

}
