package dev.journey.api.bench;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

import org.flywaydb.core.Flyway;
import org.postgresql.PGConnection;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.worker.db.Sql;
import dev.journey.api.runtime.EmbeddedDatabase;
import dev.journey.api.runtime.SecretsFile;
import dev.journey.worker.dsl.Condition;
import dev.journey.worker.segment.SegmentSql;

/**
 * Segment counting at scale: makes a project with 1M users and 10M events of mixed types over 90
 * days (once; kept under the bench directory), then counts "purchase ≥ 3 times in the last 30
 * days with amount ≥ 5000 AND tag tier = gold" with the same compiled SQL the API runs, and
 * prints the count and the times. Run: src/bench/segments.sh ({@code -Drecheck=true}, src/bench/segment-recheck.sh, measures
 * the time-driven rechecks on the same data instead: {@link SegmentRecheckBenchmark}).
 */
public final class SegmentBenchmark {
    static final String PROJECT = "bench";
    static final String CONDITION = """
            {"all": [{"event": "purchase", "within": "P30D", "count": {"gte": 3}, "where": {"path": "data.amount", "op": "gte", "value": 5000}},
                     {"path": "user.tags.tier", "op": "eq", "value": "gold"}]}""";

    public static void main(String[] args) throws Exception {
        int users = Integer.parseInt(System.getProperty("users", "1000000"));
        long events = Long.parseLong(System.getProperty("events", "10000000"));
        Path dir = Path.of(System.getProperty("dir", "/tmp/journey-bench")).toAbsolutePath();
        boolean fresh = !Files.exists(dir.resolve("generated-" + users + "-" + events));
        if (fresh && Files.exists(dir)) {
            try (var walk = Files.walk(dir)) {
                walk.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        String password = new SecretsFile(dir).get("postgres.password", null, EmbeddedDatabase::newPassword);
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dir.resolve("postgres"), true, password)) {
            Flyway.configure().dataSource(db.jdbcUrl(), db.username(), db.password()).locations("classpath:db/migration").load().migrate();
            try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password())) {
                if (fresh) {
                    generate(c, users, events);
                    Files.createFile(dir.resolve("generated-" + users + "-" + events));
                } else {
                    System.out.printf("using the data generated before in %s (delete it to generate again)%n", dir);
                    // Flyway may have added indexes since the data was made: make sure the planner knows them.
                    try (Statement st = c.createStatement()) {
                        st.execute("VACUUM ANALYZE event");
                    }
                }
                if (Boolean.getBoolean("recheck")) {
                    SegmentRecheckBenchmark.run(db.jdbcUrl(), db.username(), db.password(), users);
                } else {
                    count(c);
                }
            }
        }
    }

    static void generate(Connection c, int users, long events) throws Exception {
        long started = System.nanoTime();
        try (Statement st = c.createStatement()) {
            st.execute("INSERT INTO project (id, name) VALUES ('" + PROJECT + "', 'Benchmark') ON CONFLICT DO NOTHING");
        }
        CopyRows userRows = new CopyRows(users, (i, sb, random) -> {
            int r = random.nextInt(100);
            String tags = r < 10 ? "{\"tier\": \"gold\"}" : r < 40 ? "{\"tier\": \"silver\"}" : "{}";
            sb.append(PROJECT).append('\t').append("user").append(i).append('\t').append(tags).append('\n');
        });
        ((PGConnection) c.unwrap(PGConnection.class)).getCopyAPI()
                .copyIn("COPY app_user (project_id, user_id, tags) FROM STDIN", userRows);
        System.out.printf("generated %,d users in %.1f s%n", users, (System.nanoTime() - started) / 1e9);

        long eventsStarted = System.nanoTime();
        Instant now = Instant.now();
        long spanSeconds = ChronoUnit.DAYS.getDuration().multipliedBy(90).toSeconds();
        String[] types = {"view", "view", "view", "view", "view", "cart_updated", "cart_updated", "purchase", "purchase", "app_open"};
        CopyRows eventRows = new CopyRows(events, (i, sb, random) -> {
            String type = types[random.nextInt(types.length)];
            Instant at = now.minusSeconds(random.nextLong(spanSeconds));
            sb.append(PROJECT).append("\tuser\tuser").append(random.nextInt(users)).append('\t').append(type).append('\t');
            if (type.equals("purchase")) {
                sb.append("{\"amount\": ").append(100 + random.nextInt(19_900)).append(", \"productId\": \"p").append(random.nextInt(500)).append("\"}");
            } else {
                sb.append("{\"page\": \"/p").append(random.nextInt(50)).append("\"}");
            }
            sb.append('\t').append(at).append('\n');
        });
        ((PGConnection) c.unwrap(PGConnection.class)).getCopyAPI()
                // Received now, as a backfill would be: the event table is partitioned by month of receipt (V22), and only
                // the months from now on exist ahead; the segments count by occurred_at.
                .copyIn("COPY event (project_id, subject_type, subject_id, type, data, occurred_at) FROM STDIN", eventRows);
        double took = (System.nanoTime() - eventsStarted) / 1e9;
        System.out.printf("generated %,d events in %.1f s (%,.0f events/s)%n", events, took, events / took);
        try (Statement st = c.createStatement()) {
            st.execute("VACUUM ANALYZE app_user");
            st.execute("VACUUM ANALYZE event");
        }
        System.out.printf("data ready in %.1f s%n", (System.nanoTime() - started) / 1e9);
    }

    static void count(Connection c) throws Exception {
        String settings = System.getProperty("settings");
        if (settings != null) {
            try (Statement st = c.createStatement()) {
                st.execute(settings);
            }
        }
        Condition condition = new ObjectMapper().readValue(CONDITION, Condition.class);
        List<Double> times = new ArrayList<>();
        long count = -1;
        for (int run = 0; run < 6; run++) {
            SegmentSql.Query query = SegmentSql.users(PROJECT, condition, null, Instant.now(), id -> null).count();
            long started = System.nanoTime();
            try (PreparedStatement st = Sql.prepare(c, query.sql(), query.params().toArray())) {
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    count = rs.getLong(1);
                }
            }
            times.add((System.nanoTime() - started) / 1e6);
        }
        double first = times.get(0);
        List<Double> warm = new ArrayList<>(times.subList(1, times.size()));
        Collections.sort(warm);
        System.out.println("segment: purchase >= 3 times in the last 30 days with amount >= 5000 AND tag tier = gold");
        System.out.printf("  count        %,d%n", count);
        System.out.printf("  first run    %.0f ms%n", first);
        System.out.printf("  warm median  %.0f ms (min %.0f, max %.0f, %d runs)%n", warm.get(warm.size() / 2), warm.get(0),
                warm.get(warm.size() - 1), warm.size());
        if (Boolean.getBoolean("explain")) {
            SegmentSql.Query query = SegmentSql.users(PROJECT, condition, null, Instant.now(), id -> null).count();
            try (PreparedStatement st = Sql.prepare(c, "EXPLAIN (ANALYZE, BUFFERS) " + query.sql(), query.params().toArray())) {
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        System.out.println(rs.getString(1));
                    }
                }
            }
        }
    }

    interface RowWriter {
        void write(long i, StringBuilder sb, SplittableRandom random);
    }

    /** COPY input made on the fly, a chunk of rows at a time, from a seeded random (the same data every run). */
    static final class CopyRows extends Reader {
        private final long rows;
        private final RowWriter writer;
        private final SplittableRandom random = new SplittableRandom(42);
        private final StringBuilder chunk = new StringBuilder(1 << 20);
        private long next;
        private int position;

        CopyRows(long rows, RowWriter writer) {
            this.rows = rows;
            this.writer = writer;
        }

        @Override
        public int read(char[] buffer, int offset, int length) {
            if (position >= chunk.length()) {
                if (next >= rows) {
                    return -1;
                }
                chunk.setLength(0);
                position = 0;
                while (chunk.length() < (1 << 20) - 1024 && next < rows) {
                    writer.write(next++, chunk, random);
                }
            }
            int n = Math.min(length, chunk.length() - position);
            chunk.getChars(position, position + n, buffer, offset);
            position += n;
            return n;
        }

        @Override
        public void close() throws IOException {
        }
    }
}
