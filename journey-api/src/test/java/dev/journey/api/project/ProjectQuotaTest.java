package dev.journey.api.project;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.journey.api.support.TestProject;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class ProjectQuotaTest {
    @Test
    void aProjectHoldsABoundedNumberOfChannelsAndMayCreateOneAgainAfterADelete() {
        TestProject project = TestProject.create("Quota");
        String last = null;
        for (int i = 0; i < ProjectQuota.CHANNELS.max(); i++) {
            last = project.api().body(Map.of("type", "webhook", "url", "http://127.0.0.1:9/hook-" + i))
                    .post(project.path("/channels")).then().statusCode(201).extract().path("id");
        }
        project.api().body(Map.of("type", "webhook", "url", "http://127.0.0.1:9/one-more"))
                .post(project.path("/channels")).then().statusCode(422)
                .body("details[0].path", equalTo("")).body("details[0].message", containsString("at most 100 channels"));
        project.api().delete(project.path("/channels/" + last)).then().statusCode(204);
        project.api().body(Map.of("type", "webhook", "url", "http://127.0.0.1:9/one-more"))
                .post(project.path("/channels")).then().statusCode(201);
    }

    @Test
    void theBoundedListsAreWholeByDefaultAndPagedWhenAskedTo() {
        TestProject project = TestProject.create("Pages");
        for (int i = 0; i < 7; i++) {
            project.api().body(Map.of("type", "webhook", "url", "http://127.0.0.1:9/page-" + i))
                    .post(project.path("/channels")).then().statusCode(201);
        }
        java.util.List<String> whole = project.api().get(project.path("/channels")).then().statusCode(200)
                .extract().jsonPath().getList("id");
        assertEquals(7, whole.size());
        java.util.List<String> paged = new java.util.ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var response = project.api().queryParam("limit", 3).queryParams(cursor == null ? Map.of() : Map.of("cursor", cursor))
                    .get(project.path("/channels")).then().statusCode(200).extract();
            paged.addAll(response.jsonPath().getList("id"));
            cursor = response.header(dev.journey.api.paging.PagedLists.NEXT_CURSOR);
            if (cursor != null) {
                org.hamcrest.MatcherAssert.assertThat(response.header("Link"), containsString("rel=\"next\""));
            }
            pages++;
        } while (cursor != null);
        assertEquals(whole, paged, "three pages of 3, 3 and 1, in the list's order");
        assertEquals(3, pages);
        project.api().queryParam("cursor", "not-a-cursor").get(project.path("/channels")).then().statusCode(400)
                .body("details[0].path", equalTo("cursor"));
        project.api().queryParam("limit", 0).get(project.path("/journeys")).then().statusCode(400)
                .body("details[0].path", equalTo("limit"));
        project.api().queryParam("limit", 2).get(project.path("/event-types")).then().statusCode(200);
    }
}
