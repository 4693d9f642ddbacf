package dev.journey.api.project;

import java.nio.file.Path;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.journey.api.runtime.SecretsFile;

/**
 * The data directory's {@link SecretsFile} as a bean: the demo key, the admin token and other generated
 * secrets. A singleton, not application-scoped: its class has no no-argument constructor for a proxy.
 */
@Singleton
public class Secrets extends SecretsFile {
    @Inject
    public Secrets(@ConfigProperty(name = "journey.data-dir") String dataDir) {
        super(Path.of(dataDir));
    }
}
