package io.imgstream.dev.gateway;

import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.AbstractHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The local front door: every public route of {@link RoutingTable} on one port, proxied to the function that serves
 * it, as the load balancer's URL map does when deployed. Bodies stream both ways (Jetty's servlet streams in, the
 * JDK's HTTP client out, each through a bounded buffer), so a 32 MiB upload or a long download never sits whole in
 * memory. Every header the function answers is kept but the hop-by-hop ones; {@code Location} naming a function's
 * own origin is rewritten to the gateway's; the request gains {@code X-Forwarded-For}, {@code X-Forwarded-Proto},
 * {@code X-Forwarded-Host} and {@code Forwarded}. Optionally a {@link RateLimiter} answers 429 with
 * {@code Retry-After} as Cloud Armor does. Listens on 127.0.0.1 only.
 */
public final class Gateway implements AutoCloseable {

    public static final String HOST = "127.0.0.1";

    /** RFC 9110 §7.6.1 hop-by-hop fields, plus Proxy-Connection (old clients) and Keep-Alive. */
    static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade");
    /** Set by the JDK client itself (it refuses them), or by the gateway. */
    private static final Set<String> NOT_COPIED_UPSTREAM = Set.of("host", "content-length", "expect", "x-forwarded-proto",
            "x-forwarded-host", "x-forwarded-for", "forwarded");
    private static final int BUFFER = 16 * 1024;

    private final Server server;
    private final Proxy proxy;

    private Gateway(Server server, Proxy proxy) {
        this.server = server;
        this.proxy = proxy;
    }

    /**
     * Starts the gateway on {@code 127.0.0.1:port} (0: any free port).
     *
     * @param backends each function of the table → its base URL ({@code http://127.0.0.1:8081}); a route to a function
     *                 missing here answers 502
     * @param limiter  null for none
     */
    public static Gateway start(int port, RoutingTable table, Map<String, URI> backends, RateLimiter limiter)
            throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(256);
        threads.setName("gateway");
        threads.setDaemon(true);
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false); // the function's own Date and Server pass through, once
        http.setSendDateHeader(false);
        http.setSendXPoweredBy(false);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(HOST);
        connector.setPort(port);
        server.addConnector(connector);
        Proxy proxy = new Proxy(table, new LinkedHashMap<>(backends), limiter);
        server.setHandler(proxy);
        server.start();
        return new Gateway(server, proxy);
    }

    public int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    /** How many requests went on to a function (a test run through the gateway checks it was one). */
    public long forwarded() {
        return proxy.forwarded.get();
    }

    public URI uri() {
        return URI.create("http://" + HOST + ":" + port());
    }

    @Override
    public void close() throws Exception {
        server.stop(); // stops the proxy too, and with it the client's threads
    }

    private static final class Proxy extends AbstractHandler {
        private final RoutingTable table;
        private final Map<String, URI> backends;
        private final Set<String> backendOrigins = new HashSet<>();
        private final RateLimiter limiter;
        /** The upstream client's threads, the proxy's own: stopped when the server stops its handler. */
        private final ExecutorService clientExecutor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "gateway-client");
            t.setDaemon(true);
            return t;
        });
        private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).executor(clientExecutor)
                .build();
        private final java.util.concurrent.atomic.AtomicLong forwarded = new java.util.concurrent.atomic.AtomicLong();

        Proxy(RoutingTable table, Map<String, URI> backends, RateLimiter limiter) {
            this.table = table;
            this.backends = backends;
            this.limiter = limiter;
            backends.values().forEach(u -> backendOrigins.add(origin(u)));
        }

        @Override
        protected void doStop() throws Exception {
            super.doStop();
            clientExecutor.shutdownNow();
        }

        @Override
        public void handle(String target, Request base, HttpServletRequest request, HttpServletResponse response)
                throws IOException {
            base.setHandled(true);
            String path = request.getRequestURI();
            String query = request.getQueryString();
            String method = request.getMethod().toUpperCase(Locale.ROOT);
            String pathAndQuery = path + (query == null ? "" : "?" + query);
            try {
                URI.create(pathAndQuery); // java.net.URI is what the request goes out as: a target it cannot hold is the client's
            } catch (IllegalArgumentException e) {
                GatewayProblem.BAD_REQUEST.send(response, "The request target is not a valid URI: " + e.getMessage());
                return;
            }
            String function = table.route(method, path, request.getHeader("Access-Control-Request-Method")).orElse(null);
            if (function == null) {
                GatewayProblem.NOT_FOUND.send(response, "No function serves " + method + " " + path + ".");
                return;
            }
            if (limiter != null) {
                RateLimiter.Refusal refused = limiter.admit(request.getRemoteAddr(),
                        RateLimiter.apiKey(request.getHeader("Authorization"), request.getHeader("X-API-Key")));
                if (refused != null) {
                    response.setHeader("Retry-After", Long.toString(refused.retryAfterSeconds()));
                    GatewayProblem.RATE_LIMITED.send(response, "More than " + refused.perMinute() + " requests per minute "
                            + refused.limit() + "; retry after " + refused.retryAfterSeconds() + " s.");
                    return;
                }
            }
            URI backend = backends.get(function);
            if (backend == null) {
                GatewayProblem.BAD_GATEWAY.send(response, "The " + function + " function is not running here.");
                return;
            }
            forward(request, response, method, URI.create(origin(backend) + pathAndQuery), function);
        }

        private void forward(HttpServletRequest request, HttpServletResponse response, String method, URI upstream,
                             String function) throws IOException {
            WatchedInput body = new WatchedInput(request.getInputStream());
            HttpRequest.Builder out = HttpRequest.newBuilder(upstream).method(method, publisher(request, body));
            Set<String> connectionNamed = connectionTokens(Collections.list(request.getHeaders("Connection")));
            for (String name : Collections.list(request.getHeaderNames())) {
                String lower = name.toLowerCase(Locale.ROOT);
                if (HOP_BY_HOP.contains(lower) || NOT_COPIED_UPSTREAM.contains(lower) || connectionNamed.contains(lower)) {
                    continue;
                }
                for (String value : Collections.list(request.getHeaders(name))) {
                    out.header(name, value);
                }
            }
            String expect = request.getHeader("Expect");
            if (expect != null && expect.equalsIgnoreCase("100-continue")) {
                out.expectContinue(true);
            }
            String client = request.getRemoteAddr();
            String host = request.getHeader("Host") != null ? request.getHeader("Host") : HOST + ":" + request.getLocalPort();
            String proto = request.getScheme();
            out.header("X-Forwarded-For", append(request.getHeaders("X-Forwarded-For"), client));
            out.header("X-Forwarded-Proto", proto);
            out.header("X-Forwarded-Host", host);
            String node = client.contains(":") ? "\"[" + client + "]\"" : client;
            out.header("Forwarded", append(request.getHeaders("Forwarded"),
                    "for=" + node + ";host=\"" + host + "\";proto=" + proto));

            forwarded.incrementAndGet();
            HttpResponse<InputStream> answer;
            try {
                answer = client(out.build());
            } catch (IOException e) {
                if (body.failed != null) {
                    // the client's body broke off (cut connection, fewer bytes than Content-Length): the function saw the
                    // same cut, as it would directly; say so if the client still listens
                    if (!response.isCommitted()) {
                        GatewayProblem.BAD_REQUEST.send(response, "The request body ended early: " + body.failed.getMessage());
                    }
                    return;
                }
                GatewayProblem.BAD_GATEWAY.send(response, "The " + function + " function did not answer: "
                        + (e instanceof ConnectException ? "connection refused" : String.valueOf(e.getMessage())) + ".");
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            copyResponse(request, response, answer, host);
        }

        private HttpResponse<InputStream> client(HttpRequest request) throws IOException, InterruptedException {
            return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        }

        private static HttpRequest.BodyPublisher publisher(HttpServletRequest request, WatchedInput body) {
            long length = request.getContentLengthLong();
            boolean chunked = request.getHeader("Transfer-Encoding") != null;
            if (length == 0 || (length < 0 && !chunked)) {
                return HttpRequest.BodyPublishers.noBody();
            }
            HttpRequest.BodyPublisher stream = HttpRequest.BodyPublishers.ofInputStream(() -> body);
            // with a known length, the function sees the same Content-Length; without, the body stays chunked
            return length > 0 ? HttpRequest.BodyPublishers.fromPublisher(stream, length) : stream;
        }

        private void copyResponse(HttpServletRequest request, HttpServletResponse response, HttpResponse<InputStream> answer,
                                  String host) throws IOException {
            try (InputStream in = answer.body()) {
                response.setStatus(answer.statusCode());
                Map<String, List<String>> headers = answer.headers().map();
                Set<String> connectionNamed = connectionTokens(headers.getOrDefault("connection", List.of()));
                for (Map.Entry<String, List<String>> h : headers.entrySet()) {
                    String lower = h.getKey().toLowerCase(Locale.ROOT);
                    if (HOP_BY_HOP.contains(lower) || connectionNamed.contains(lower) || lower.equals("content-length")
                            || lower.startsWith(":")) {
                        continue;
                    }
                    for (String value : h.getValue()) {
                        if (lower.equals("location") || lower.equals("content-location")) {
                            value = rewrite(value, request.getScheme() + "://" + host);
                        }
                        response.addHeader(canonical(h.getKey()), value);
                    }
                }
                java.util.OptionalLong length = answer.headers().firstValueAsLong("content-length");
                if (length.isPresent()) {
                    response.setContentLengthLong(length.getAsLong());
                } else if ("HEAD".equalsIgnoreCase(request.getMethod())) {
                    // the function did not say the GET's length (it would stream it chunked): commit the headers now, or
                    // Jetty would complete the empty answer with a Content-Length: 0 that is not the GET's
                    response.flushBuffer();
                }
                OutputStream out = response.getOutputStream();
                byte[] buffer = new byte[BUFFER];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    if (in.available() == 0) {
                        out.flush(); // a trickling answer reaches the client as it comes
                    }
                }
            }
            // an exception above (the function's body broke off, or the client left) aborts the client's connection, so
            // a cut answer is never taken for a whole one; closing the body stream cancels the function's
        }

        /**
         * The JDK client hands header names over in lower case; the function wrote {@code Tus-Resumable}, so the client
         * reads it so again (Jetty spells the registered names its own way: {@code ETag}, {@code WWW-Authenticate}).
         */
        static String canonical(String name) {
            StringBuilder out = new StringBuilder(name.length());
            boolean upper = true;
            for (char c : name.toCharArray()) {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = c == '-';
            }
            return out.toString();
        }

        /** A URL on a function's own origin becomes the same URL on the gateway's. */
        private String rewrite(String location, String gatewayOrigin) {
            for (String origin : backendOrigins) {
                if (location.equals(origin) || location.startsWith(origin + "/") || location.startsWith(origin + "?")) {
                    return gatewayOrigin + location.substring(origin.length());
                }
            }
            return location;
        }

        private static String origin(URI uri) {
            return uri.getScheme() + "://" + uri.getRawAuthority();
        }

        private static String append(java.util.Enumeration<String> existing, String value) {
            List<String> values = new java.util.ArrayList<>(Collections.list(existing));
            values.add(value);
            return String.join(", ", values);
        }

        private static Set<String> connectionTokens(List<String> values) {
            Set<String> tokens = new HashSet<>();
            for (String v : values) {
                for (String t : v.split(",")) {
                    if (!t.isBlank()) {
                        tokens.add(t.trim().toLowerCase(Locale.ROOT));
                    }
                }
            }
            return tokens;
        }
    }

    /** The client's body as the JDK client reads it, remembering whether reading it failed. */
    private static final class WatchedInput extends FilterInputStream {
        volatile IOException failed;

        WatchedInput(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                throw remembered(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                throw remembered(e);
            }
        }

        private IOException remembered(IOException e) {
            failed = e;
            return e;
        }
    }
}
