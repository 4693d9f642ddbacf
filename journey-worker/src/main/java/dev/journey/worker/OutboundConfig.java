package dev.journey.worker;

import java.util.List;
import java.util.Optional;

import dev.journey.worker.channel.OutboundPolicy;
import io.smallrye.config.ConfigMapping;

/**
 * Where channels may send, {@code journey.outbound.*}: read by the API (Quarkus) and by a
 * standalone worker (SmallRye Config) from the same keys, so the check when a channel is saved and
 * the check when it sends agree.
 */
@ConfigMapping(prefix = "journey.outbound")
public interface OutboundConfig {
    /** CIDRs and host names let through although their addresses are private ("10.1.2.0/24,hooks.intranet"). */
    Optional<List<String>> allow();

    /** Whether loopback is allowed; unset means allowed only in the embedded single-process run. */
    Optional<Boolean> allowLoopback();

    /** The policy of these settings; {@code embedded} when this is the embedded single-process run. */
    default OutboundPolicy policy(boolean embedded) {
        return OutboundPolicy.of(allow().orElse(List.of()), allowLoopback(), embedded);
    }
}
