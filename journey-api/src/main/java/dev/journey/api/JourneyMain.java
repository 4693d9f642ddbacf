package dev.journey.api;

import java.nio.file.Files;
import java.time.Duration;
import java.nio.file.Path;
import java.util.Optional;

import dev.journey.api.access.StartupSecurity;
import dev.journey.api.runtime.EmbeddedDatabase;
import dev.journey.api.runtime.SecretsFile;
import io.quarkus.runtime.Application;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Starts the engine. Without QUARKUS_DATASOURCE_JDBC_URL it first starts an embedded PostgreSQL
 * under JOURNEY_DATA_DIR/postgres (data kept across restarts; its password generated once into
 * JOURNEY_DATA_DIR/secrets.properties) and points the datasource at it.
 */
@QuarkusMain
public class JourneyMain {
    /** What the embedded database's start recovered (an orphaned server it stopped), for the start-up banner. */
    public static final String RECOVERED_PROPERTY = "journey.embedded-database.recovered";
    /** Dev mode runs main again on each live reload: the database must start once per JVM. */
    private static EmbeddedDatabase embedded;
    private static final Duration APPLICATION_STOP = Duration.ofSeconds(60);

    public static void main(String... args) throws Exception {
        // journey-worker logs through SLF4J: bind it to JBoss Log Manager (not a JUL binding a worker jar's class path may
        // bring along), so the ids its activities put in the MDC reach the JSON log lines.
        if (System.getProperty("slf4j.provider") == null) {
            System.setProperty("slf4j.provider", "org.slf4j.impl.JBossSlf4jServiceProvider");
        }
        if (blank(System.getenv("QUARKUS_DATASOURCE_JDBC_URL")) && blank(System.getProperty("quarkus.datasource.jdbc.url"))) {
            startEmbeddedDatabase();
        } else {
            refuseWeakAdminToken();
        }
        Quarkus.run(args);
    }

    /**
     * Before Quarkus migrates an external database: a missing or weak admin token stops the start here
     * rather than after the migration. Only a token from the environment or a system property is judged
     * here (they win over every other source); one from a .env or a config file is judged by AdminToken.
     */
    private static void refuseWeakAdminToken() {
        String token = System.getProperty("journey.admin.token", System.getenv("JOURNEY_ADMIN_TOKEN"));
        boolean elsewhere = token == null && (Files.exists(Path.of(".env")) || Files.exists(Path.of("config", "application.properties")));
        if (elsewhere) {
            return;
        }
        try {
            StartupSecurity.check(false, Optional.ofNullable(token), false);
        } catch (IllegalStateException refused) {
            System.err.println("The journey engine does not start: " + refused.getMessage());
            System.exit(1);
        }
    }

    private static synchronized void startEmbeddedDatabase() throws Exception {
        if (embedded != null) {
            return;
        }
        Path dataDir = Path.of(System.getenv().getOrDefault("JOURNEY_DATA_DIR", "./data")).toAbsolutePath().normalize();
        Path pgData = dataDir.resolve("postgres");
        System.out.println("Starting embedded PostgreSQL in " + pgData + " ...");
        String password = new SecretsFile(dataDir).get("postgres.password", null, EmbeddedDatabase::newPassword);
        embedded = EmbeddedDatabase.start(pgData, true, password, false);
        System.setProperty("quarkus.datasource.jdbc.url", embedded.jdbcUrl());
        System.setProperty("quarkus.datasource.username", embedded.username());
        System.setProperty("quarkus.datasource.password", embedded.password());
        System.setProperty("journey.embedded-database", pgData.toString());
        embedded.recovered().ifPresent(what -> {
            System.out.println("Recovered: " + what);
            System.setProperty(RECOVERED_PROPERTY, what);
        });
        // Shutdown hooks run all at once: without the wait, PostgreSQL went away while the engine drained its sends, so
        // a message handed off during a graceful stop could not be recorded as sent, and was sent again after it.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            awaitApplicationStop();
            try {
                embedded.close();
            } catch (Exception e) {
                System.err.println("embedded PostgreSQL did not stop cleanly: " + e.getMessage());
            }
        }, "embedded-postgres-stop"));
    }

    /** Until Quarkus has stopped (every bean destroyed), at most {@link #APPLICATION_STOP}. */
    private static void awaitApplicationStop() {
        Application application = Application.currentApplication();
        if (application == null) {
            return;
        }
        Thread waiter = new Thread(application::awaitShutdown, "await-engine-stop");
        waiter.setDaemon(true);
        waiter.start();
        try {
            waiter.join(APPLICATION_STOP.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (waiter.isAlive()) {
            System.err.println("the engine had not stopped after " + APPLICATION_STOP + "; stopping embedded PostgreSQL anyway");
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
