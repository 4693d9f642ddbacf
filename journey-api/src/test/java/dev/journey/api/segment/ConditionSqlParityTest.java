package dev.journey.api.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.worker.db.Sql;
import dev.journey.api.support.TestProject;
import dev.journey.worker.dsl.Condition;
import dev.journey.worker.dsl.Conditions;
import dev.journey.worker.dsl.Operator;
import dev.journey.worker.segment.SegmentSql;
import dev.journey.worker.subject.SubjectStore;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Every operator against every kind of value, evaluated by the Java evaluator (journeys) and by
 * PostgreSQL (segments): they must agree, case by case. Both the general SQL function and the
 * direct forms the segment compiler emits for numbers and tag equality are covered.
 */
@QuarkusTest
class ConditionSqlParityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> ACTUALS = List.of("10000", "12.5", "-3", "\"Product\"", "\"Prod\"", "\"\"",
            "\"2024-04-19T14:23:56+09:00\"", "\"2024-04-19T05:23:56Z\"", "1713504236000", "true", "false",
            "[\"a\", \"b\"]", "[1, 10000]", "[]", "null");
    private static final List<String> EXPECTEDS = List.of("5000", "10000", "10000.0", "12.5", "\"Product\"", "\"Prod\"",
            "\"product\"", "\"2024-04-19T05:23:56Z\"", "\"2024-04-20T00:00:00+09:00\"", "true", "\"a\"", "1",
            "[\"x\", \"Product\"]", "[1, 10000]", "\"1\"");

    @Inject
    AgroalDataSource db;
    @Inject
    SubjectStore subjects;

    private static boolean java(JsonNode actual, Operator op, JsonNode expected) {
        Map<String, Object> tags = new HashMap<>();
        if (!actual.isNull()) {
            tags.put("v", JSON.convertValue(actual, Object.class));
        }
        return Conditions.matches(new Condition.Compare("user.tags.v", op, expected, null), Map.of("user", Map.of("tags", tags)));
    }

    @Test
    void theSqlFunctionAgreesWithJavaOnEveryCase() throws Exception {
        List<String> disagreements = new ArrayList<>();
        int cases = 0;
        int held = 0;
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement("SELECT cond_match(?::jsonb, ?, ?::jsonb)")) {
            for (String actual : ACTUALS) {
                for (Operator op : Operator.values()) {
                    for (String expected : EXPECTEDS) {
                        st.setString(1, actual.equals("null") ? null : actual);
                        st.setString(2, op.json());
                        st.setString(3, expected);
                        boolean sql;
                        try (ResultSet rs = st.executeQuery()) {
                            rs.next();
                            sql = rs.getBoolean(1);
                        }
                        boolean java = java(JSON.readTree(actual), op, JSON.readTree(expected));
                        cases++;
                        held += java ? 1 : 0;
                        if (sql != java) {
                            disagreements.add(actual + " " + op.json() + " " + expected + ": java " + java + ", sql " + sql);
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), disagreements, "out of " + cases + " cases");
        org.junit.jupiter.api.Assertions.assertTrue(held > cases / 10 && held < cases * 9 / 10,
                "the table must exercise both outcomes: " + held + " of " + cases + " hold");
    }

    @Test
    void compiledSegmentsAgreeWithJavaOverUsersWithEveryKindOfTag() throws Exception {
        assertEquals(List.of(), segmentDisagreements("Parity", "v"));
    }

    /** Tag names in any script (the seed's market names them in Hangul) compile to the same answers. */
    @Test
    void tagNamesInAnyScriptAgreeToo() throws Exception {
        assertEquals(List.of(), segmentDisagreements("Parity unicode", "등급"));
        assertEquals(List.of(), segmentDisagreements("Parity accents", "catégorie_2"));
    }

    private List<String> segmentDisagreements(String projectName, String tag) throws Exception {
        TestProject project = TestProject.create(projectName);
        Map<String, JsonNode> valueOf = new HashMap<>();
        for (int i = 0; i < ACTUALS.size(); i++) {
            String user = "u" + i;
            JsonNode value = JSON.readTree(ACTUALS.get(i));
            valueOf.put(user, value);
            Map<String, Object> tags = new HashMap<>();
            tags.put(tag, JSON.convertValue(value, Object.class));
            tags.put("marker", i);
            subjects.mergeTags(project.id(), user, tags);
        }
        List<String> disagreements = new ArrayList<>();
        for (Operator op : Operator.values()) {
            for (String expected : EXPECTEDS) {
                JsonNode e = JSON.readTree(expected);
                Condition condition = new Condition.Compare("user.tags." + tag, op, e, null);
                Set<String> sql = members(SegmentSql.users(project.id(), condition, null, Instant.now(), id -> null));
                Set<String> java = new TreeSet<>();
                valueOf.forEach((user, value) -> {
                    if (java(value, op, e)) {
                        java.add(user);
                    }
                });
                if (!sql.equals(java)) {
                    disagreements.add(op.json() + " " + expected + ": java " + java + ", sql " + sql);
                }
            }
        }
        return disagreements;
    }

    private Set<String> members(SegmentSql.Query query) throws Exception {
        Set<String> users = new TreeSet<>(new Sql(db).list(query.sql(), rs -> rs.getString(1), query.params().toArray()));
        return users;
    }
}
