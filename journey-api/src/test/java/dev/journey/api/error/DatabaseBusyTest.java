package dev.journey.api.error;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.journey.api.support.TestProject;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * When every pooled connection stays taken for the whole acquisition timeout (a burst larger than
 * the pool), a read answers 503 with Retry-After — overload the caller can wait out — not a 500 that
 * says the engine is broken; and it answers 200 again once connections are free.
 */
@QuarkusTest
class DatabaseBusyTest {
    @Inject
    AgroalDataSource db;

    @Test
    void aReadWhileEveryConnectionIsTakenIsA503WithRetryAfter() throws Exception {
        TestProject project = TestProject.create("Busy database");
        project.api().get(project.path("/events")).then().statusCode(200);

        int pool = db.getConfiguration().connectionPoolConfiguration().maxSize();
        ExecutorService holders = Executors.newFixedThreadPool(pool);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch allTaken = new CountDownLatch(pool);
        try {
            for (int i = 0; i < pool; i++) {
                holders.submit(() -> {
                    try (Connection c = db.getConnection()) {
                        allTaken.countDown();
                        release.await();
                    } catch (SQLException | InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return null;
                });
            }
            allTaken.await(30, TimeUnit.SECONDS);
            assertEquals(0, allTaken.getCount(), "the test holds every connection of the pool");

            Response busy = project.api().get(project.path("/events"));
            assertEquals(503, busy.statusCode(), busy.asString());
            assertEquals("1", busy.header("Retry-After"));
            assertEquals("unavailable", busy.jsonPath().getString("error"));
        } finally {
            release.countDown();
            holders.shutdown();
            holders.awaitTermination(30, TimeUnit.SECONDS);
        }
        project.api().get(project.path("/events")).then().statusCode(200);
    }
}
