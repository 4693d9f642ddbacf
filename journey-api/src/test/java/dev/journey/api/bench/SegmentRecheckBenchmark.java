package dev.journey.api.bench;

import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.logging.Logger;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.worker.db.Sql;
import dev.journey.worker.dsl.Condition;
import dev.journey.worker.dsl.EventMatch;
import dev.journey.worker.event.EventStore;
import dev.journey.worker.event.NewEvent;
import dev.journey.worker.segment.SegmentStore;

/**
 * The cost of time-driven segment membership on {@link SegmentBenchmark}'s data (1M users, 10M
 * events): (a) what computing the next recheck time adds to one membership check, (b) how many due
 * users a reconciler pass asks again per second — each as {@code SegmentReconciler} does it, in a
 * transaction of its own: membership, next time, the recheck row, entry or exit and its event —
 * and (c) what an idle pass (nothing due) costs with a recheck row for every user. Uses the
 * engine's own SegmentStore and EventStore over a few pooled connections; the dispatcher's
 * Quarkus wiring is left out. Run: src/bench/segment-recheck.sh
 */
final class SegmentRecheckBenchmark {
    private static final String SEGMENT = "seg_bench_recheck";

    private SegmentRecheckBenchmark() {}

    static void run(String url, String user, String password, int users) throws Exception {
        int due = Integer.getInteger("due", 20_000);
        int sample = Integer.getInteger("sample", 2_000);
        ObjectMapper json = new ObjectMapper();
        Condition condition = json.readValue(SegmentBenchmark.CONDITION, Condition.class);
        try (Pool pool = new Pool(url, user, password, 4)) {
            Sql sql = new Sql(pool);
            SegmentStore segments = new SegmentStore(pool, json);
            EventStore events = new EventStore(pool, json);
            prepare(sql, users);

            // (a) one membership check, without and with its next recheck time
            SplittableRandom random = new SplittableRandom(7);
            List<String> sampled = new ArrayList<>();
            for (int i = 0; i < sample; i++) {
                sampled.add("user" + random.nextInt(users));
            }
            Instant now = Instant.now();
            for (String u : sampled.subList(0, Math.min(200, sample))) { // warm up
                segments.contains(SegmentBenchmark.PROJECT, condition, u, now);
                segments.nextChange(SegmentBenchmark.PROJECT, condition, u, now);
            }
            long started = System.nanoTime();
            for (String u : sampled) {
                segments.contains(SegmentBenchmark.PROJECT, condition, u, now);
            }
            double check = (System.nanoTime() - started) / 1e3 / sample;
            started = System.nanoTime();
            int withTime = 0;
            for (String u : sampled) {
                withTime += segments.nextChange(SegmentBenchmark.PROJECT, condition, u, now) == null ? 0 : 1;
            }
            double next = (System.nanoTime() - started) / 1e3 / sample;
            // ... and its row, written in the check's transaction (the dispatcher's batch)
            started = System.nanoTime();
            sql.inTransaction(tx -> {
                for (String u : sampled) {
                    SegmentStore.recheckAt(tx, SEGMENT, u, now.plus(Duration.ofDays(1)));
                }
                return null;
            });
            double store = (System.nanoTime() - started) / 1e3 / sample;
            sql.update("DELETE FROM segment_recheck WHERE segment_id = ?", SEGMENT);
            System.out.println("segment: " + SegmentBenchmark.CONDITION.replaceAll("\\s+", " "));
            System.out.printf("(a) per membership check, %,d random users: membership %.0f µs; next recheck time +%.0f µs, its row +%.0f µs"
                    + " (+%.0f%% in all); %,d of them get a time%n", sample, check, next, store, 100 * (next + store) / check, withTime);

            // (c) an idle pass: a recheck row for every user, none due
            long rows = rechecks(sql, due);
            List<Double> idle = new ArrayList<>();
            for (int run = 0; run < 21; run++) {
                long t = System.nanoTime();
                List<SegmentStore.Recheck> taken = segments.takeDue(Instant.now().minus(Duration.ofMinutes(2)), Duration.ofMinutes(5), 500);
                idle.add((System.nanoTime() - t) / 1e6);
                if (!taken.isEmpty()) {
                    throw new IllegalStateException("an idle pass took " + taken.size());
                }
            }
            Collections.sort(idle);
            System.out.printf("(c) idle pass with %,d recheck rows: median %.2f ms (max %.2f, %d runs)%n", rows, idle.get(idle.size() / 2),
                    idle.get(idle.size() - 1), idle.size());

            // (b) a pass over the due users, as the reconciler makes it
            started = System.nanoTime();
            int asked = 0;
            int changed = 0;
            while (true) {
                List<SegmentStore.Recheck> taken = segments.takeDue(Instant.now(), Duration.ofMinutes(5), 500);
                for (SegmentStore.Recheck r : taken) {
                    changed += recheck(sql, segments, events, condition, r) ? 1 : 0;
                }
                asked += taken.size();
                if (taken.size() < 500) {
                    break;
                }
            }
            double took = (System.nanoTime() - started) / 1e9;
            System.out.printf("(b) reconcile pass: %,d due users asked again in %.1f s = %,.0f users/s on one thread (%,d entered or left)%n",
                    asked, took, asked / took, changed);
        }
    }

    /** The segment, and nothing left from a previous run: its members, rechecks and events. */
    private static void prepare(Sql sql, int users) {
        sql.update("INSERT INTO segment (id, project_id, name, condition) VALUES (?, ?, 'Recheck bench', ?::jsonb) "
                + "ON CONFLICT (id) DO UPDATE SET condition = excluded.condition", SEGMENT, SegmentBenchmark.PROJECT, SegmentBenchmark.CONDITION);
        sql.update("DELETE FROM segment_member WHERE segment_id = ?", SEGMENT);
        sql.update("DELETE FROM segment_recheck WHERE segment_id = ?", SEGMENT);
        sql.update("DELETE FROM event WHERE project_id = ? AND type IN (?, ?)", SegmentBenchmark.PROJECT, EventMatch.SEGMENT_ENTERED,
                EventMatch.SEGMENT_EXITED);
    }

    /** A recheck row for every user, spread over the next 30 days, {@code due} of them due now. */
    private static long rechecks(Sql sql, int due) {
        long started = System.nanoTime();
        sql.update("INSERT INTO segment_recheck (segment_id, user_id, at) SELECT ?, user_id, now() + random() * interval '30 days' "
                + "FROM app_user WHERE project_id = ?", SEGMENT, SegmentBenchmark.PROJECT);
        sql.update("UPDATE segment_recheck SET at = now() - random() * interval '1 minute' WHERE segment_id = ? AND user_id IN "
                + "(SELECT user_id FROM app_user WHERE project_id = ? ORDER BY md5(user_id) LIMIT ?)", SEGMENT, SegmentBenchmark.PROJECT, due);
        sql.update("VACUUM ANALYZE segment_recheck");
        long rows = sql.first("SELECT count(*) FROM segment_recheck", rs -> rs.getLong(1)).orElseThrow();
        System.out.printf("    %,d recheck rows written, %,d due, in %.1f s%n", rows, due, (System.nanoTime() - started) / 1e9);
        return rows;
    }

    /** What SegmentReconciler does for one due user (SegmentMembership.check), in its own transaction. */
    private static boolean recheck(Sql sql, SegmentStore segments, EventStore events, Condition condition, SegmentStore.Recheck r) {
        return sql.inTransaction(tx -> {
            Sql.update(tx, "SET LOCAL synchronous_commit TO OFF");
            Instant now = Instant.now();
            boolean member = segments.contains(r.projectId(), condition, r.userId(), now);
            SegmentStore.recheckAt(tx, r.segmentId(), r.userId(), segments.nextChange(r.projectId(), condition, r.userId(), now));
            String type = member && SegmentStore.enter(tx, r.segmentId(), r.userId()) ? EventMatch.SEGMENT_ENTERED
                    : !member && SegmentStore.leave(tx, r.segmentId(), r.userId()) ? EventMatch.SEGMENT_EXITED : null;
            if (type != null) {
                events.store(tx, r.projectId(), List.of(new NewEvent(type + ":" + r.segmentId() + ":" + r.userId() + ":time:" + now.toEpochMilli(),
                        "user", r.userId(), type, "{\"segmentId\": \"" + r.segmentId() + "\", \"by\": \"time\"}", now)));
            }
            return type != null;
        });
    }

    /** A few connections handed out and taken back, as the API's pool does (a new connection per query would dominate). */
    static final class Pool implements DataSource, AutoCloseable {
        private final ArrayDeque<Connection> free = new ArrayDeque<>();
        private final List<Connection> all = new ArrayList<>();

        Pool(String url, String user, String password, int size) throws SQLException {
            for (int i = 0; i < size; i++) {
                Connection c = DriverManager.getConnection(url, user, password);
                all.add(c);
                free.add(c);
            }
        }

        @Override
        public synchronized Connection getConnection() {
            Connection c = free.pop();
            return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                if (method.getName().equals("close")) {
                    synchronized (this) {
                        free.push(c);
                    }
                    return null;
                }
                try {
                    return method.invoke(c, args);
                } catch (java.lang.reflect.InvocationTargetException e) {
                    throw e.getCause();
                }
            });
        }

        @Override
        public Connection getConnection(String username, String password) {
            return getConnection();
        }

        @Override
        public void close() throws SQLException {
            for (Connection c : all) {
                c.close();
            }
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }
}
