package dev.journey.worker.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.ObjectMapper;

class ConditionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Object> CONTEXT = Map.of(
            "data", Map.of("amount", 10000, "price", 12.5, "name", "Product Name", "paid", true,
                    "at", "2024-04-19T14:23:56+09:00", "atMs", 1713504236000L, "tags", List.of("a", "b")),
            "user", Map.of("tags", Map.of("tier", "gold", "등급", "골드")));

    /** Paths name properties in any script, as event data and tags do. */
    private static final Map<String, Object> UNICODE_CONTEXT = Map.of(
            "data", Map.of("이름", "민수", "金額", 5000, "имя", "Иван", "café", List.of("noir")),
            "user", Map.of("tags", Map.of("등급", "골드")));

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"path\":\"data.amount\",\"op\":\"gte\",\"value\":5000}                     | true",
            "{\"path\":\"data.amount\",\"op\":\"gt\",\"value\":10000}                     | false",
            "{\"path\":\"data.amount\",\"op\":\"eq\",\"value\":10000.0}                   | true",
            "{\"path\":\"data.price\",\"op\":\"lt\",\"value\":13}                         | true",
            "{\"path\":\"data.price\",\"op\":\"lte\",\"value\":12.5}                      | true",
            "{\"path\":\"data.amount\",\"op\":\"neq\",\"value\":1}                        | true",
            "{\"path\":\"data.missing\",\"op\":\"neq\",\"value\":1}                       | true",
            "{\"path\":\"data.missing\",\"op\":\"gt\",\"value\":1}                        | false",
            "{\"path\":\"data.amount\",\"op\":\"gt\",\"value\":\"5000\"}                  | false",
            "{\"path\":\"data.name\",\"op\":\"contains\",\"value\":\"Name\"}              | true",
            "{\"path\":\"data.name\",\"op\":\"startsWith\",\"value\":\"Prod\"}            | true",
            "{\"path\":\"data.tags\",\"op\":\"contains\",\"value\":\"b\"}                 | true",
            "{\"path\":\"data.name\",\"op\":\"in\",\"value\":[\"x\",\"Product Name\"]}    | true",
            "{\"path\":\"data.paid\",\"op\":\"eq\",\"value\":true}                        | true",
            "{\"path\":\"data.paid\",\"op\":\"exists\"}                                   | true",
            "{\"path\":\"data.nope\",\"op\":\"notExists\"}                                | true",
            "{\"path\":\"data.at\",\"op\":\"gt\",\"value\":\"2024-04-19T05:00:00Z\"}      | true",
            "{\"path\":\"data.at\",\"op\":\"eq\",\"value\":\"2024-04-19T05:23:56Z\"}      | true",
            "{\"path\":\"data.atMs\",\"op\":\"eq\",\"value\":\"2024-04-19T05:23:56Z\"}    | true",
            "{\"path\":\"data.atMs\",\"op\":\"lt\",\"value\":\"2024-04-20T00:00:00+09:00\"} | true",
            "{\"path\":\"user.tags.tier\",\"op\":\"eq\",\"value\":\"gold\"}               | true",
            "{\"all\":[{\"path\":\"data.amount\",\"op\":\"gte\",\"value\":1},{\"path\":\"data.paid\",\"op\":\"eq\",\"value\":false}]} | false",
            "{\"any\":[{\"path\":\"data.amount\",\"op\":\"gte\",\"value\":1},{\"path\":\"data.paid\",\"op\":\"eq\",\"value\":false}]} | true",
            "{\"not\":{\"path\":\"data.amount\",\"op\":\"gte\",\"value\":1}}              | false",
    })
    void evaluates(String json, boolean expected) throws Exception {
        Condition condition = JSON.readValue(json, Condition.class);
        assertEquals(expected, Conditions.matches(condition, CONTEXT));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"path\":\"data.이름\",\"op\":\"eq\",\"value\":\"민수\"}                | true",
            "{\"path\":\"data.이름\",\"op\":\"eq\",\"value\":\"영희\"}                | false",
            "{\"path\":\"data.金額\",\"op\":\"gte\",\"value\":5000}                   | true",
            "{\"path\":\"data.имя\",\"op\":\"startsWith\",\"value\":\"Ив\"}           | true",
            "{\"path\":\"data.café\",\"op\":\"contains\",\"value\":\"noir\"}          | true",
            "{\"path\":\"data.없음\",\"op\":\"notExists\"}                              | true",
            "{\"path\":\"user.tags.등급\",\"op\":\"eq\",\"value\":\"골드\"}            | true",
            "{\"path\":\"data.이름\",\"op\":\"eq\",\"valueFrom\":\"data.이름\"}         | true",
    })
    void pathsInAnyScript(String json, boolean expected) throws Exception {
        Condition condition = JSON.readValue(json, Condition.class);
        assertEquals(expected, Conditions.matches(condition, UNICODE_CONTEXT));
    }

    @Test
    void anExplanationListsThePartsThatDecidedInOrderWithTheirValues() throws Exception {
        Condition condition = JSON.readValue("""
                {"all": [{"path": "data.amount", "op": "gte", "value": 5000},
                         {"any": [{"path": "data.name", "op": "eq", "value": "Other"},
                                  {"not": {"path": "data.paid", "op": "eq", "value": true}}]},
                         {"path": "data.never", "op": "exists"}]}""", Condition.class);
        Conditions.Explained explained = Conditions.explain(condition, CONTEXT, Facts.NONE);
        assertEquals(false, explained.result());
        assertEquals(Conditions.matches(condition, CONTEXT), explained.result(), "explaining decides as matching does");
        assertEquals(List.of(
                new ConditionCheck("all[0]", "data.amount", "gte", 5000, 10000, true, null),
                new ConditionCheck("all[1].any[0]", "data.name", "eq", "Other", "Product Name", false, null),
                new ConditionCheck("all[1].any[1].not", "data.paid", "eq", true, true, true, true)), explained.checks(),
                "the any's parts both failed (the second through its not), so the all stopped there");
    }

    @Test
    void anExplanationShowsLongValuesShortened() throws Exception {
        Condition condition = JSON.readValue("{\"path\": \"data.text\", \"op\": \"eq\", \"value\": \"x\"}", Condition.class);
        Conditions.Explained explained = Conditions.explain(condition, Map.of("data", Map.of("text", "y".repeat(5000))), Facts.NONE);
        String shown = (String) explained.checks().get(0).actual();
        assertEquals(Conditions.SHOWN_CHARS + 1, shown.length(), "cut, with an ellipsis");
    }
}
