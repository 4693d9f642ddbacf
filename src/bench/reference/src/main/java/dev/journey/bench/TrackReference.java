package dev.journey.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The bare reference for the engine's ingest (issue 13): the least a durable track endpoint can
 * do on this machine. Vert.x HTTP and the reactive PostgreSQL client; each request's events stored
 * in one pipelined batch (one implicit transaction, one commit) into a table with only a primary
 * key; 202 once committed (fsync on). No validation beyond reading the JSON, no outbox, no dispatch. The same
 * embedded PostgreSQL, with the same settings, as the engine's default run, and the same request
 * shape and key header, so src/load/TrackLoad.java drives both alike.
 *
 *   java -jar target/track-reference.jar --port 18091 --key some-key [--data /tmp/dir] [--engine-indexes true]
 */
public final class TrackReference {
    private static final String INSERT = "INSERT INTO ref_event (project_id, event_id, subject_type, subject_id, type, data, occurred_at)"
            + " VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7)";

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(option(args, "--port", "18091"));
        String key = option(args, "--key", "reference-key");
        Path data = Path.of(option(args, "--data", Files.createTempDirectory("track-reference").toString()));
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(true)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("max_connections", "200")
                .setServerConfig("shared_buffers", "256MB")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("fsync", "on") // zonky passes -F (no fsync); the engine's kept cluster turns it on too
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                postgres.close();
            } catch (Exception ignored) {
                // the process is ending
            }
        }));
        try (var c = postgres.getPostgresDatabase().getConnection(); var st = c.createStatement()) {
            st.execute("CREATE TABLE ref_event (id bigserial PRIMARY KEY, project_id text NOT NULL, event_id text,"
                    + " subject_type text NOT NULL, subject_id text NOT NULL, type text NOT NULL, data jsonb NOT NULL,"
                    + " occurred_at timestamptz NOT NULL, received_at timestamptz NOT NULL DEFAULT now())");
            if (Boolean.parseBoolean(option(args, "--engine-indexes", "false"))) {
                // The engine's two secondary indexes on event, as V22 makes them (keep them alike), to tell their cost from the rest of the engine's.
                st.execute("CREATE INDEX ref_event_by_subject ON ref_event (project_id, subject_type, subject_id, occurred_at DESC, id DESC)");
                st.execute("CREATE INDEX ref_event_by_type ON ref_event (project_id, type, occurred_at DESC, id DESC)"
                        + " INCLUDE (subject_type, subject_id, data)");
            }
        }
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        // As many connections as the engine's pool (quarkus.datasource.jdbc.max-size).
        Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(32))
                .connectingTo(new PgConnectOptions().setHost("127.0.0.1").setPort(postgres.getPort()).setDatabase("postgres")
                        .setUser("postgres").setPipeliningLimit(256))
                .using(vertx).build();
        String expected = "Bearer " + key;
        vertx.createHttpServer().requestHandler(request -> {
            if (!"POST".equals(request.method().name()) || !request.path().endsWith("/track")) {
                request.response().setStatusCode(404).end();
                return;
            }
            if (!expected.equals(request.getHeader("Authorization"))) {
                request.response().setStatusCode(401).end();
                return;
            }
            String project = request.path().split("/")[3];
            request.body().onSuccess(body -> {
                List<Tuple> rows;
                try {
                    rows = rows(project, body.toJsonObject());
                } catch (RuntimeException e) {
                    request.response().setStatusCode(400).end("{\"error\":\"invalid_request\"}");
                    return;
                }
                pool.preparedQuery(INSERT).executeBatch(rows)
                        .onSuccess(done -> request.response().setStatusCode(202).putHeader("Content-Type", "application/json")
                                .end("{\"accepted\":" + rows.size() + ",\"duplicates\":0}"))
                        .onFailure(e -> request.response().setStatusCode(503).end());
            }).onFailure(e -> request.response().setStatusCode(400).end());
        }).listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().join();
        System.out.println("track reference listening on 127.0.0.1:" + port + " (PostgreSQL on " + postgres.getPort() + ")");
    }

    private static List<Tuple> rows(String project, JsonObject request) {
        JsonArray events = request.getJsonArray("events");
        List<Tuple> rows = new ArrayList<>(events.size());
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        for (int i = 0; i < events.size(); i++) {
            JsonObject e = events.getJsonObject(i);
            Object timestamp = e.getValue("timestamp");
            OffsetDateTime at = timestamp instanceof Number ms ? Instant.ofEpochMilli(ms.longValue()).atOffset(ZoneOffset.UTC) : now;
            JsonObject data = e.getJsonObject("data", new JsonObject());
            rows.add(Tuple.of(project, e.getString("eventId"), e.getString("subjectType"), e.getString("subjectId"), e.getString("type"),
                    data.encode(), at));
        }
        return rows;
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
