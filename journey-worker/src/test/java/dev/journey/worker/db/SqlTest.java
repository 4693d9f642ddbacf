package dev.journey.worker.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

class SqlTest {
    private final Sql sql = TestDatabase.sql();

    @Test
    void bindsInstantsArraysAndStoredNamesAndMapsRows() {
        Instant at = Instant.parse("2026-01-02T03:04:05.123Z");
        List<String> rows = sql.list("SELECT x || ':' || ?::text || ':' || (? = ?::timestamptz) FROM unnest(?::text[]) AS t(x) ORDER BY x",
                rs -> rs.getString(1), Level.HIGH, at, "2026-01-02T03:04:05.123Z", Sql.array("text", List.of("b", "a")));
        assertEquals(List.of("a:high:true", "b:high:true"), rows);
        assertEquals(at, sql.first("SELECT ?::timestamptz AS t", rs -> Sql.instant(rs, "t"), at).orElseThrow());
        assertTrue(sql.first("SELECT 1 WHERE false", rs -> 1).isEmpty());
    }

    @Test
    void aFailedTransactionLeavesNothingBehind() {
        sql.update("CREATE TABLE IF NOT EXISTS sql_test (v text PRIMARY KEY)");
        SqlFailure failure = assertThrows(SqlFailure.class, () -> sql.inTransaction(c -> {
            Sql.update(c, "INSERT INTO sql_test VALUES (?)", "once");
            return Sql.update(c, "INSERT INTO sql_test VALUES (?)", "once");
        }));
        assertEquals("23505", failure.sqlState());
        assertEquals(0, sql.first("SELECT count(*) FROM sql_test WHERE v = 'once'", rs -> rs.getInt(1)).orElseThrow());
    }

    @Test
    void aStatementPastItsTimeoutIsCancelledByTheDatabase() {
        long start = System.nanoTime();
        SqlFailure failure = assertThrows(SqlFailure.class,
                () -> sql.withTimeout(java.time.Duration.ofSeconds(1)).first("SELECT pg_sleep(30)", rs -> 1));
        assertTrue(failure.timedOut(), failure.getMessage());
        assertTrue((System.nanoTime() - start) / 1_000_000_000 < 20, "cancelled long before the query's 30 s");
        assertEquals(1, sql.first("SELECT pg_sleep(1.5), 1", rs -> rs.getInt(2)).orElseThrow(), "no timeout without one");
    }

    @Test
    void anErrorInsideATransactionRollsItBackInsteadOfCommittingHalf() {
        sql.update("CREATE TABLE IF NOT EXISTS sql_error_test (v text PRIMARY KEY)");
        assertThrows(StackOverflowError.class, () -> sql.inTransaction(c -> {
            Sql.update(c, "INSERT INTO sql_error_test VALUES ('half')");
            throw new StackOverflowError("deep");
        }));
        assertEquals(0, sql.first("SELECT count(*) FROM sql_error_test", rs -> rs.getInt(1)).orElseThrow());
    }

    enum Level implements StoredName { HIGH }
}
