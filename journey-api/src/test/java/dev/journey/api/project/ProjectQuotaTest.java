package dev.journey.api.project;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

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
}
