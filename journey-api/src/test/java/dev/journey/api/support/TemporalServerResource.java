package dev.journey.api.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.temporal.testserver.TestServer;

/**
 * A Temporal service reached over real gRPC on a port, as a cluster would be: the API runs with
 * TEMPORAL_ADDRESS set and no worker of its own. (Temporal's test server binds all interfaces.)
 */
public class TemporalServerResource implements QuarkusTestResourceLifecycleManager {
    public static volatile String address;
    private TestServer.PortBoundTestServer server;

    @Override
    public Map<String, String> start() {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server = TestServer.createPortBoundServer(port, true);
        address = "127.0.0.1:" + port;
        return Map.of("journey.temporal.address", address, "journey.worker.enabled", "false");
    }

    @Override
    public void stop() {
        server.close();
    }
}
