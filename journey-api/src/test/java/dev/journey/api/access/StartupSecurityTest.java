package dev.journey.api.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Issue 12, "a test on the configuration logic": what each start configuration may do, as a table. */
class StartupSecurityTest {
    private static final String STRONG = "3f9a1c0e7b5d4a2f8e6c1b0a9d7e5f3c";

    @ParameterizedTest(name = "embedded={0} token={1} demo={2} -> {3}")
    @CsvSource(nullValues = "none", value = {
            // embedded, configured token,                        demo asked, outcome
            "true,  none,                                          true,  generate+demo",
            "true,  none,                                          false, generate",
            "true,  STRONG,                                        true,  demo",
            "true,  short-token,                                   true,  refuse",
            "true,  change-me-admin-token,                         true,  refuse",
            "false, none,                                          true,  refuse",
            "false, '   ',                                         false, refuse",
            "false, change-me-admin-token,                         false, refuse",
            "false, CHANGE-ME-admin-token-0123456789abcdef0123456, false, refuse",
            "false, test-admin-token,                              false, refuse",
            "false, 0123456789012345678901234567890,               false, refuse",
            "false, STRONG,                                        true,  ok",
            "false, STRONG,                                        false, ok",
    })
    void decides(boolean embedded, String token, boolean demo, String outcome) {
        Optional<String> configured = Optional.ofNullable(token).map(t -> t.equals("STRONG") ? STRONG : t);
        if (outcome.equals("refuse")) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> StartupSecurity.check(embedded, configured, demo));
            assertTrue(e.getMessage().contains("JOURNEY_ADMIN_TOKEN") && e.getMessage().contains("openssl rand -hex 32"), e.getMessage());
            return;
        }
        StartupSecurity.Decision d = StartupSecurity.check(embedded, configured, demo);
        assertEquals(outcome.contains("generate"), d.generateAdminToken(), "generate");
        assertEquals(outcome.contains("demo"), d.demoProject(), "demo project");
    }
}
