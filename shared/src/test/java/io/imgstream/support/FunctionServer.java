package io.imgstream.support;

import io.imgstream.adapter.embedded.LoopbackInvoker;
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
 */
public final class FunctionServer implements AutoCloseable {

    public static final String HTTP_FUNCTION = "io.imgstream.web.ImgStreamHttpFunction";

    private final LoopbackInvoker invoker;
    private final URI baseUri;
    private final Map<String, String> properties;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private ApplicationContext sideContext;

    private FunctionServer(LoopbackInvoker invoker, URI baseUri, Map<String, String> properties) {
        this.invoker = invoker;
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
            return new FunctionServer(invoker, URI.create("http://127.0.0.1:" + invoker.port()), props);
        } catch (Exception e) {
            throw new IllegalStateException("function did not start", e);
        } finally {
            props.keySet().forEach(System::clearProperty);
        }
    }

    public static FunctionServer http(Map<String, String> extra) {
        return start(HTTP_FUNCTION, "http", extra);
    }

    public URI uri(String pathAndQuery) {
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
        invoker.close();
        if (sideContext != null) {
            sideContext.close();
        }
    }

}
