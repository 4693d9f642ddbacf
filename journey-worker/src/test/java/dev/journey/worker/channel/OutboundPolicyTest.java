package dev.journey.worker.channel;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Which addresses the policy lets through, and why it refuses the others. */
class OutboundPolicyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Names this test resolves itself; anything else does not resolve. */
    private static final Map<String, String> DNS = Map.of(
            "public.test", "93.184.216.34",
            "loopback.test", "127.0.0.1",
            "metadata.test", "169.254.169.254",
            "hooks.intranet", "10.1.2.3");

    private static OutboundPolicy strict() {
        return OutboundPolicy.strict().withResolver(OutboundPolicyTest::resolve);
    }

    private static InetAddress[] resolve(String host) throws UnknownHostException {
        String address = DNS.get(host);
        if (address == null) {
            throw new UnknownHostException(host);
        }
        return new InetAddress[] {InetAddress.getByAddress(host, InetAddress.getByName(address).getAddress())};
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "127.0.0.1, loopback",
            "127.255.0.9, loopback",
            "::1, loopback",
            "::ffff:127.0.0.1, loopback",
            "::127.0.0.1, loopback",
            "0.0.0.0, unspecified",
            "::, unspecified",
            "10.0.0.1, private",
            "172.16.0.1, private",
            "172.31.255.255, private",
            "192.168.1.1, private",
            "fc00::1, private",
            "fd12:3456::1, private",
            "::ffff:10.0.0.1, private",
            "169.254.169.254, cloud metadata",
            "fd00:ec2::254, cloud metadata",
            "169.254.1.1, link-local",
            "fe80::1, link-local",
            "100.64.0.1, carrier-grade NAT",
            "100.100.100.200, carrier-grade NAT",
            "224.0.0.1, multicast",
            "ff02::1, multicast",
            "255.255.255.255, broadcast",
            "240.0.0.1, reserved",
            "64:ff9b::7f00:1, loopback",
            "2002:7f00:1::, loopback",
            "93.184.216.34, allowed",
            "172.32.0.1, allowed",
            "100.128.0.1, allowed",
            "2606:2800:220:1:248:1893:25c8:1946, allowed",
            "2002:5db8:d822::, allowed",
    })
    void eachAddressIsAllowedOrRefusedWithItsKind(String address, String expected) throws Exception {
        InetAddress a = InetAddress.getByName(address);
        if (expected.equals("allowed")) {
            assertDoesNotThrow(() -> strict().check(address, a));
        } else {
            OutboundPolicy.Refused refused = assertThrows(OutboundPolicy.Refused.class, () -> strict().check(address, a));
            assertTrue(refused.reason().endsWith("(" + expected + ")"), refused.reason());
        }
    }

    @Test
    void loopbackCanBeAllowedAndNothingElseWithIt() throws Exception {
        OutboundPolicy policy = OutboundPolicy.allowingLoopback();
        policy.check("127.0.0.1", InetAddress.getByName("127.0.0.1"));
        policy.check("::1", InetAddress.getByName("::1"));
        policy.check("::ffff:127.0.0.1", InetAddress.getByName("::ffff:127.0.0.1"));
        assertThrows(OutboundPolicy.Refused.class, () -> policy.check("10.0.0.1", InetAddress.getByName("10.0.0.1")));
        assertThrows(OutboundPolicy.Refused.class, () -> policy.check("169.254.169.254", InetAddress.getByName("169.254.169.254")));
    }

    @Test
    void theAllowListLetsCidrsAndHostNamesThrough() throws Exception {
        OutboundPolicy policy = OutboundPolicy.of(List.of("10.1.2.0/24", " hooks.intranet ", "fd00:1::/32"), Optional.empty(), false)
                .withResolver(OutboundPolicyTest::resolve);
        policy.check("10.1.2.200", InetAddress.getByName("10.1.2.200"));
        policy.check("fd00:1:ffff::1", InetAddress.getByName("fd00:1:ffff::1"));
        assertEquals(List.of(InetAddress.getByName("10.1.2.3")), policy.resolve("hooks.intranet"));
        assertThrows(OutboundPolicy.Refused.class, () -> policy.check("10.1.3.1", InetAddress.getByName("10.1.3.1")));
        assertThrows(OutboundPolicy.Refused.class, () -> policy.resolve("loopback.test"));
        assertThrows(IllegalArgumentException.class, () -> OutboundPolicy.of(List.of("10.1.2.0/33"), Optional.empty(), false));
        assertThrows(IllegalArgumentException.class, () -> OutboundPolicy.of(List.of("http://x"), Optional.empty(), false));
    }

    @Test
    void loopbackIsAllowedByDefaultOnlyInTheEmbeddedRunAndTheBannerSaysSo() {
        assertEquals("loopback allowed (embedded default); private, link-local and metadata addresses refused",
                OutboundPolicy.of(List.of(), Optional.empty(), true).describe());
        assertEquals("loopback refused; private, link-local and metadata addresses refused",
                OutboundPolicy.of(List.of(), Optional.empty(), false).describe());
        assertEquals("loopback refused; private, link-local and metadata addresses refused except 10.1.2.0/24, hooks.intranet",
                OutboundPolicy.of(List.of("10.1.2.0/24", "hooks.intranet"), Optional.of(false), true).describe());
    }

    @Test
    void aHostWithOneRefusedAddressAmongPublicOnesIsRefusedWhole() {
        OutboundPolicy policy = OutboundPolicy.strict().withResolver(host -> new InetAddress[] {
                InetAddress.getByName("93.184.216.34"), InetAddress.getByName("127.0.0.1")});
        assertThrows(OutboundPolicy.Refused.class, () -> policy.resolve("mixed.test"));
    }

    @Test
    void aChannelIsCheckedAtSaveWithEachDestinationNamedByItsField() throws Exception {
        assertEquals(List.of(new ConfigProblem("url", "points to 127.0.0.1, a loopback address; outbound requests to loopback,"
                        + " private, link-local and metadata addresses are refused (allow it with journey.outbound.allow)")),
                strict().problems(config(ChannelType.WEBHOOK, "{\"url\": \"http://127.0.0.1:5432/\"}")));
        assertProblem("url", "points to ::1, a loopback address", ChannelType.WEBHOOK, "{\"url\": \"http://[::1]:8080/\"}");
        assertProblem("url", "points to ::ffff:127.0.0.1, a loopback address", ChannelType.WEBHOOK, "{\"url\": \"http://[::ffff:127.0.0.1]/\"}");
        assertProblem("url", "points to 169.254.169.254, a cloud metadata address", ChannelType.WEBHOOK,
                "{\"url\": \"http://169.254.169.254/latest/meta-data/\"}");
        assertProblem("url", "points to loopback.test, which resolves to 127.0.0.1, a loopback address", ChannelType.WEBHOOK,
                "{\"url\": \"https://loopback.test/hook\"}");
        assertProblem("baseUrl", "points to 10.0.0.5, a private address", ChannelType.SMS,
                "{\"baseUrl\": \"http://10.0.0.5\", \"accountSid\": \"AC1\", \"authToken\": \"t\", \"from\": \"+14155550100\"}");
        assertProblem("baseUrl", "points to metadata.test, which resolves to 169.254.169.254", ChannelType.PUSH,
                "{\"provider\": \"fcm\", \"baseUrl\": \"http://metadata.test\", \"fcmProjectId\": \"p\", \"accessToken\": \"t\"}");
        assertProblem("host", "points to 127.0.0.1, a loopback address", ChannelType.EMAIL,
                "{\"host\": \"127.0.0.1\", \"port\": 5432, \"tls\": \"none\", \"from\": \"a@example.com\"}");
        assertProblem("host", "points to 192.168.0.1, a private address", ChannelType.EMAIL,
                "{\"host\": \"192.168.0.1\", \"port\": 25, \"tls\": \"none\", \"from\": \"a@example.com\"}");
    }

    @Test
    void aHostThatDoesNotResolveAtSaveIsAcceptedAndAPublicOneToo() throws Exception {
        assertEquals(List.of(), strict().problems(config(ChannelType.WEBHOOK, "{\"url\": \"https://only-in-production.test/hook\"}")));
        assertEquals(List.of(), strict().problems(config(ChannelType.WEBHOOK, "{\"url\": \"https://public.test/hook\"}")));
        assertEquals(List.of(), strict().problems(config(ChannelType.INAPP, "{}")));
    }

    @Test
    void anFcmServiceAccountsTokenUriIsADestinationToo() {
        FcmConfig config = new FcmConfig(null, "p", null, JSON.createObjectNode().put("token_uri", "http://169.254.169.254/token"));
        List<ConfigProblem> problems = strict().problems(config);
        assertEquals(1, problems.size(), problems.toString());
        assertEquals("serviceAccount.token_uri", problems.get(0).path());
    }

    private static void assertProblem(String field, String start, ChannelType type, String json) throws Exception {
        List<ConfigProblem> problems = strict().problems(config(type, json));
        assertEquals(1, problems.size(), problems.toString());
        assertEquals(field, problems.get(0).path());
        assertTrue(problems.get(0).message().startsWith(start), problems.get(0).message());
    }

    private static ChannelConfig config(ChannelType type, String json) throws Exception {
        return ChannelConfig.parse(type, JSON.readTree(json), null);
    }
}
