package dev.journey.api.event;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.nullValue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import dev.journey.api.support.TestProject;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class TrackTest {
    private TestProject project;

    @BeforeEach
    void newProject() {
        project = TestProject.create("Track");
    }

    private int stored() {
        return project.api().get(project.path("/events?limit=500")).then().statusCode(200).extract().path("events.size()");
    }

    @Test
    void theSeedExampleWorksVerbatim() {
        project.api().body("""
                {"events": [{"subjectType": "user", "subjectId": "userid1", "type": "purchase", "data": {"productId": "123", "productName": "Product Name", "amount": 10000}}]}""")
                .post(project.path("/track")).then().statusCode(202)
                .body("accepted", equalTo(1)).body("duplicates", equalTo(0));
        project.api().get(project.path("/events?userId=userid1")).then().statusCode(200)
                .body("events[0].type", equalTo("purchase"))
                .body("events[0].data.productName", equalTo("Product Name"))
                .body("events[0].data.amount", equalTo(10000))
                .body("nextCursor", nullValue());
    }

    @Test
    void everyDataTypeIsAccepted() {
        project.api().body("""
                {"events": [{"subjectType": "device", "subjectId": "d1", "type": "everything",
                  "timestamp": "2024-04-19T14:23:56+09:00",
                  "data": {"s": "text", "i": 10000, "f": 12.5, "neg": -3, "isoTime": "2024-04-19T14:23:56+09:00",
                           "msTime": 1681721331085, "yes": true, "no": false, "strings": ["a", "b"], "numbers": [1, 2.5],
                           "empty": [], "nothing": null, "korean": "한글 😀"}},
                 {"subjectType": "user", "subjectId": "u1", "type": "ms", "timestamp": 1681721331085}]}""")
                .post(project.path("/track")).then().statusCode(202).body("accepted", equalTo(2));
        project.api().get(project.path("/events?deviceId=d1")).then().statusCode(200)
                .body("events[0].timestamp", equalTo("2024-04-19T05:23:56Z"))
                .body("events[0].data.isoTime", equalTo("2024-04-19T14:23:56+09:00"))
                .body("events[0].data.msTime", equalTo(1681721331085L))
                .body("events[0].data.strings", equalTo(List.of("a", "b")))
                .body("events[0].data.korean", equalTo("한글 😀"))
                .body("events[0].data.containsKey('nothing')", equalTo(true));
        project.api().get(project.path("/events?userId=u1")).then().statusCode(200)
                .body("events[0].timestamp", equalTo("2023-04-17T08:48:51.085Z"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "missing subjectType   | {\"subjectId\":\"u\",\"type\":\"t\"}                                          | events[0].subjectType | required",
            "unknown subjectType   | {\"subjectType\":\"org\",\"subjectId\":\"u\",\"type\":\"t\"}                  | events[0].subjectType | user",
            "missing subjectId     | {\"subjectType\":\"user\",\"type\":\"t\"}                                     | events[0].subjectId   | required",
            "numeric subjectId     | {\"subjectType\":\"user\",\"subjectId\":5,\"type\":\"t\"}                     | events[0].subjectId   | string",
            "empty type            | {\"subjectType\":\"user\",\"subjectId\":\"u\",\"type\":\"\"}                  | events[0].type        | 1 to 128",
            "reserved type         | {\"subjectType\":\"user\",\"subjectId\":\"u\",\"type\":\"@first_session\"}    | events[0].type        | reserved",
            "data not an object    | {\"subjectType\":\"user\",\"subjectId\":\"u\",\"type\":\"t\",\"data\":[1]}    | events[0].data        | object",
            "nested object         | {\"subjectType\":\"user\",\"subjectId\":\"u\",\"type\":\"t\",\"data\":{\"a\":{\"b\":1}}} | events[0].data.a | nested",
            "mixed array           | {\"subjectType\":\"user\",\"subjectId\":\"u\",\"type\":\"t\",\"data\":{\"tags\":[\"a\",1]}} | events[0].data.tags | all strings or all numbers",
            "array of booleans     | {\"subjectType\":\"user\",\"subjectId\":\"u\",\"type\":\"t\",\"data\":{\"f\":[true]}} | events[0].data.f | all strings or all numbers",
            "array with null       | {\"subjectType\":\"user\",\"subjectId\":\"u\",\"type\":\"t\",\"data\":{\"f\":[\"a\",null]}} | events[0].data.f | all strings or all numbers",
            "bad timestamp text    | {\"subjectType\":\"user\",\"subjectId\":\"u\",\"type\":\"t\",\"timestamp\":\"yesterday\"} | events[0].timestamp | ISO-8601",
            "timestamp w/o offset  | {\"subjectType\":\"user\",\"subjectId\":\"u\",\"type\":\"t\",\"timestamp\":\"2024-04-19T14:23:56\"} | events[0].timestamp | ISO-8601",
            "timestamp in seconds  | {\"subjectType\":\"user\",\"subjectId\":\"u\",\"type\":\"t\",\"timestamp\":1681721331} | events[0].timestamp | milliseconds",
            "timestamp boolean     | {\"subjectType\":\"user\",\"subjectId\":\"u\",\"type\":\"t\",\"timestamp\":true} | events[0].timestamp | ISO-8601",
            "eventId not a string  | {\"subjectType\":\"user\",\"subjectId\":\"u\",\"type\":\"t\",\"eventId\":7} | events[0].eventId | string",
            "NUL in subjectId      | {\"subjectType\":\"user\",\"subjectId\":\"a\\u0000b\",\"type\":\"t\"} | events[0].subjectId | NUL",
            "NUL in a data value   | {\"subjectType\":\"user\",\"subjectId\":\"u\",\"type\":\"t\",\"data\":{\"s\":\"x\\u0000\"}} | events[0].data.s | NUL",
            "NUL in a data array   | {\"subjectType\":\"user\",\"subjectId\":\"u\",\"type\":\"t\",\"data\":{\"a\":[\"ok\",\"x\\u0000\"]}} | events[0].data.a[1] | NUL",
            "number out of range   | {\"subjectType\":\"user\",\"subjectId\":\"u\",\"type\":\"t\",\"data\":{\"n\":1e400}} | events[0].data.n | range of a double",
            "array number too big  | {\"subjectType\":\"user\",\"subjectId\":\"u\",\"type\":\"t\",\"data\":{\"a\":[1,-1e400]}} | events[0].data.a[1] | range of a double",
            "year 20000            | {\"subjectType\":\"user\",\"subjectId\":\"u\",\"type\":\"t\",\"timestamp\":\"+20000-01-01T00:00:00Z\"} | events[0].timestamp | out of range",
            "year 999999999        | {\"subjectType\":\"user\",\"subjectId\":\"u\",\"type\":\"t\",\"timestamp\":\"+999999999-12-31T00:00:00Z\"} | events[0].timestamp | out of range",
            "before 1970           | {\"subjectType\":\"user\",\"subjectId\":\"u\",\"type\":\"t\",\"timestamp\":\"1969-12-31T23:59:59Z\"} | events[0].timestamp | out of range",
            "event not an object   | 42                                                                            | events[0]             | object",
    })
    void invalidEventIsRejectedWithItsPathAndNothingIsStored(String name, String event, String path, String message) {
        String body = "{\"events\": [{\"subjectType\":\"user\",\"subjectId\":\"ok\",\"type\":\"fine\"}, " + event + "]}";
        body = body.replace("events[0]", "events[1]");
        project.api().body(body).post(project.path("/track")).then().statusCode(400)
                .body("error", equalTo("invalid_request"))
                .body("message", containsString("nothing was stored"))
                .body("details.path", hasItem(path.replace("events[0]", "events[1]")))
                .body("details.find { it.path == '" + path.replace("events[0]", "events[1]") + "' }.message", containsString(message));
        org.junit.jupiter.api.Assertions.assertEquals(0, stored());
    }

    @Test
    void everyProblemOfEveryEventIsListed() {
        project.api().body("""
                {"events": [{"subjectType": "robot", "type": "@x"}, {"subjectType": "user", "subjectId": "u", "type": "t", "data": {"o": {}}}]}""")
                .post(project.path("/track")).then().statusCode(400)
                .body("message", equalTo("2 events are invalid; nothing was stored"))
                .body("details.path", hasItems("events[0].subjectType", "events[0].subjectId", "events[0].type", "events[1].data.o"));
    }

    @Test
    void malformedRequestsAreClear400s() {
        project.api().body("{\"events\": [").post(project.path("/track")).then().statusCode(400)
                .body("details[0].message", containsString("line 1"));
        project.api().body("").post(project.path("/track")).then().statusCode(400);
        project.api().body("[]").post(project.path("/track")).then().statusCode(400).body("details[0].path", equalTo(""));
        project.api().body("{\"events\": {}}").post(project.path("/track")).then().statusCode(400).body("details[0].path", equalTo("events"));
        project.api().body("{\"events\": []}").post(project.path("/track")).then().statusCode(400).body("details[0].path", equalTo("events"));
    }

    @Test
    void limitsAreEnforced() {
        StringBuilder many = new StringBuilder("{\"events\": [");
        for (int i = 0; i < 1001; i++) {
            many.append(i == 0 ? "" : ",").append("{\"subjectType\":\"user\",\"subjectId\":\"u\",\"type\":\"t\"}");
        }
        project.api().body(many.append("]}").toString()).post(project.path("/track")).then().statusCode(400)
                .body("details[0].message", containsString("at most 1000"));

        String big = "x".repeat(33 * 1024);
        project.api().body("{\"events\": [{\"subjectType\":\"user\",\"subjectId\":\"u\",\"type\":\"t\",\"data\":{\"big\":\"" + big + "\"}}]}")
                .post(project.path("/track")).then().statusCode(400).body("details[0].path", equalTo("events[0].data"));

        StringBuilder keys = new StringBuilder("{");
        for (int i = 0; i < 101; i++) {
            keys.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":1");
        }
        project.api().body("{\"events\": [{\"subjectType\":\"user\",\"subjectId\":\"u\",\"type\":\"t\",\"data\":" + keys + "}}]}")
                .post(project.path("/track")).then().statusCode(400).body("details[0].message", containsString("at most 100"));

        String huge = "y".repeat(1024 * 1024 + 10);
        project.api().body("{\"events\": [], \"pad\": \"" + huge + "\"}").post(project.path("/track")).then().statusCode(413)
                .body("error", equalTo("payload_too_large"));
        org.junit.jupiter.api.Assertions.assertEquals(0, stored());
    }

    @Test
    void aRepeatedEventIdIsAcceptedButStoredOnce() {
        String event = "{\"subjectType\":\"user\",\"subjectId\":\"u\",\"type\":\"purchase\",\"eventId\":\"order-1\"}";
        project.api().body("{\"events\": [" + event + "]}").post(project.path("/track")).then().statusCode(202)
                .body("accepted", equalTo(1)).body("duplicates", equalTo(0));
        project.api().body("{\"events\": [" + event + "]}").post(project.path("/track")).then().statusCode(202)
                .body("accepted", equalTo(0)).body("duplicates", equalTo(1));
        project.api().body("{\"events\": [" + event.replace("order-1", "order-2") + "," + event.replace("order-1", "order-2") + "]}")
                .post(project.path("/track")).then().statusCode(202)
                .body("accepted", equalTo(1)).body("duplicates", equalTo(1));
        org.junit.jupiter.api.Assertions.assertEquals(2, stored());
        TestProject other = TestProject.create("Other");
        other.api().body("{\"events\": [" + event + "]}").post(other.path("/track")).then().statusCode(202)
                .body("accepted", equalTo(1));
    }

    @Test
    void listingFiltersAndPages() {
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            events.add("{\"subjectType\":\"user\",\"subjectId\":\"u" + (i % 2) + "\",\"type\":\"" + (i < 5 ? "view" : "buy")
                    + "\",\"timestamp\":\"2024-01-0" + (i + 1) + "T00:00:00Z\",\"data\":{\"n\":" + i + "}}");
        }
        events.add("{\"subjectType\":\"device\",\"subjectId\":\"d9\",\"type\":\"open\",\"timestamp\":\"2024-02-01T00:00:00Z\"}");
        project.api().body("{\"events\": [" + String.join(",", events) + "]}").post(project.path("/track")).then().statusCode(202);

        List<Integer> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var page = project.api().queryParam("limit", 3).queryParam("type", "view")
                    .queryParams(cursor == null ? java.util.Map.of() : java.util.Map.of("cursor", cursor))
                    .get(project.path("/events")).then().statusCode(200).extract().jsonPath();
            seen.addAll(page.getList("events.data.n", Integer.class));
            cursor = page.getString("nextCursor");
            pages++;
        } while (cursor != null);
        org.junit.jupiter.api.Assertions.assertEquals(List.of(4, 3, 2, 1, 0), seen);
        org.junit.jupiter.api.Assertions.assertEquals(2, pages);

        project.api().get(project.path("/events?userId=u1")).then().body("events.data.n", equalTo(List.of(5, 3, 1)));
        project.api().get(project.path("/events?deviceId=d9")).then().body("events.type", equalTo(List.of("open")));
        project.api().get(project.path("/events?since=2024-01-03T00:00:00Z&until=2024-01-05T00:00:00Z"))
                .then().body("events.data.n", equalTo(List.of(3, 2)));
        project.api().get(project.path("/events?since=1704240000000")).then().body("events.size()", equalTo(6));
        project.api().get(project.path("/events?limit=0")).then().statusCode(400).body("details[0].path", equalTo("limit"));
        project.api().get(project.path("/events?since=soon")).then().statusCode(400).body("details[0].path", equalTo("since"));
        project.api().get(project.path("/events?cursor=%%%")).then().statusCode(400).body("details[0].path", equalTo("cursor"));
    }
}
