package dev.journey.api.project;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * Issue 12: the compose file ships no secret and opens nothing beyond the machine. (No Docker engine runs
 * here, so the file is read as text: every published port is bound to 127.0.0.1, every secret is required
 * from .env with no default, and the API runs without the demo project.)
 */
class ComposeFileTest {
    private static final Path COMPOSE = Path.of("../docker-compose.yml");

    @Test
    void noDefaultSecretsNoDemoAndPortsOnLoopbackOnly() throws Exception {
        String compose = Files.readString(COMPOSE);
        assertFalse(compose.contains("change-me"), "no example admin token");
        Matcher secrets = Pattern.compile("\\$\\{(JOURNEY_ADMIN_TOKEN|POSTGRES_PASSWORD|JOURNEY_DEMO_API_KEY)([^}]*)}").matcher(compose);
        int found = 0;
        while (secrets.find()) {
            found++;
            assertTrue(secrets.group(2).startsWith(":?"), secrets.group() + " must be required, with no default");
        }
        assertTrue(found >= 4, "the secrets were found");
        assertTrue(compose.contains("JOURNEY_DEMO_ENABLED: \"false\""), "no demo project");
        List<String> ports = compose.lines().map(String::trim).filter(l -> l.matches("- \"[0-9.:]+\"")).toList();
        assertFalse(ports.isEmpty());
        for (String port : ports) {
            assertTrue(port.startsWith("- \"127.0.0.1:"), port + " is published beyond the machine");
        }
        assertEquals(3, ports.size(), ports.toString());
    }
}
