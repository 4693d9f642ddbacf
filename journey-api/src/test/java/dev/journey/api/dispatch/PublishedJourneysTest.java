package dev.journey.api.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.journey.api.journey.JourneyService;
import dev.journey.api.support.TestProject;
import dev.journey.worker.dsl.JourneyStore;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The dispatcher's copy of a project's published journeys: an event tracked once a publish has
 * answered must find the journey, even when the dispatcher read the project's journeys while the
 * publish was still committing (it had dropped its copy before the commit and loaded the old rows
 * again, keeping them for two seconds: the event was dispatched to nothing).
 */
@QuarkusTest
class PublishedJourneysTest {
    @Inject
    PublishedJourneys published;
    @Inject
    JourneyService journeys;
    @Inject
    AgroalDataSource db;

    @Test
    void aReadWhileAPublishCommitsIsNotKeptPastTheCommit() throws Exception {
        TestProject project = TestProject.create("Publish race");
        String id = project.api().body("""
                {"name": "Welcome", "trigger": {"event": "signup"},
                 "steps": [{"id": "bye", "type": "exit"}]}""")
                .post(project.path("/journeys")).then().statusCode(201).extract().path("id");
        assertEquals(List.of(), triggeredBySignup(project.id()), "a draft takes no entries");

        QuarkusTransaction.begin();
        try {
            journeys.publish(project.id(), id);
            // The dispatcher, on its own connection, reads the journeys before the publish commits.
            assertEquals(List.of(), triggeredBySignup(project.id()));
        } finally {
            QuarkusTransaction.commit();
        }

        List<String> after = triggeredBySignup(project.id());
        assertEquals(List.of(id), after, "an event tracked after the publish enters the journey");
    }

    /** As the dispatcher reads it: on another thread, outside any transaction. */
    private List<String> triggeredBySignup(String projectId) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            try (Connection c = db.getConnection()) {
                return published.triggeredBy(c, projectId, "signup").stream().map(JourneyStore.Published::journeyId).toList();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).get(10, TimeUnit.SECONDS);
    }
}
