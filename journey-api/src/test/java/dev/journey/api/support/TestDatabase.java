package dev.journey.api.support;

import io.quarkus.test.common.QuarkusTestResource;

/** Declares the embedded PostgreSQL for every @QuarkusTest of this module (a global test resource). */
@QuarkusTestResource(EmbeddedPostgresResource.class)
public final class TestDatabase {
    private TestDatabase() {}
}
