package io.imgstream.dev;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class LoopbackInvokerTest {

    static final AtomicInteger CALLS = new AtomicInteger();
    static LoopbackInvoker server;

    /** A function as a user writes one for the Functions Framework. */
    public static final class Hello implements HttpFunction {
        @Override
        public void service(HttpRequest request, HttpResponse response) throws IOException {
            CALLS.incrementAndGet();
            response.setContentType("text/plain");
            response.getWriter().write("hello " + request.getPath());
        }
    }

    @BeforeAll
    static void start() throws Exception {
        server = LoopbackInvoker.start(0, Hello.class.getName(), null, LoopbackInvokerTest.class.getClassLoader());
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void servesTheFunctionOnLoopback() throws Exception {
        var response = HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/x")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertEquals(200, response.statusCode());
        assertEquals("hello /x", response.body());
    }

    @Test
    void isNotReachableOnTheHostsOtherAddresses() throws Exception {
        Optional<InetAddress> external = nonLoopbackAddress();
        assumeTrue(external.isPresent(), "this host has no non-loopback address to try");
        try (Socket socket = new Socket()) {
            assertThrows(IOException.class,
                    () -> socket.connect(new InetSocketAddress(external.get(), server.port()), 2000),
                    "the function must not listen on " + external.get());
        }
    }

    @Test
    void answersBrowserNoiseWithoutCallingTheFunction() throws Exception {
        int before = CALLS.get();
        var response = HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/favicon.ico")).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding());
        assertEquals(404, response.statusCode());
        assertEquals(before, CALLS.get());
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
        return NetworkInterface.networkInterfaces()
                .filter(nic -> {
                    try {
                        return nic.isUp() && !nic.isLoopback();
                    } catch (SocketException e) {
                        return false;
                    }
                })
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .findFirst();
    }
}
