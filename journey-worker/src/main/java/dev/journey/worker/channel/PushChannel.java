package dev.journey.worker.channel;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;


/**
 * Push to every live device token of the user, each in its provider's format: an iPhone through the
 * project's APNs channel when there is one, everything else (and iPhones otherwise) through FCM.
 * Fields from the template: {@code title}, {@code body}, {@code image}, {@code deepLink}, and
 * {@code data.<key>} for custom data; the message id is the collapse id, so a repeated notification
 * replaces the first on the device. Sent when at least one device took it; a dead token is marked
 * so in the device table, and each device's outcome is recorded as soon as it is known. Devices
 * are tried one after another while the attempt's deadline allows; those not reached by then are
 * left to the next attempt, which skips the ones already done.
 */
public class PushChannel implements Channel {
    /** The provider said this token belongs to no installed app any more: never send to it again. */
    public static final String TOKEN_DEAD = "tokenDead";

    private final PushTargets devices;
    private final FcmPush fcm;
    private final ApnsPush apns;

    PushChannel(PushTargets devices, ProviderHttp http, ObjectMapper json) {
        this.devices = devices;
        this.fcm = new FcmPush(http, json);
        this.apns = new ApnsPush(http, json);
    }

    @Override
    public ChannelType type() {
        return ChannelType.PUSH;
    }

    @Override
    public SendResult send(Outgoing o, List<ProjectChannel> configured, Deadline deadline) {
        ProjectChannel apnsChannel = null;
        ProjectChannel fcmChannel = null;
        for (ProjectChannel channel : configured) {
            if (channel.config() instanceof ApnsConfig && apnsChannel == null) {
                apnsChannel = channel;
            } else if (channel.config() instanceof FcmConfig && fcmChannel == null) {
                fcmChannel = channel;
            }
        }
        List<PushTargets.Device> targets = devices.live(o.projectId(), o.subjectType(), o.subjectId(), o.userId());
        Map<String, String> done = o.progress().outcomes();
        int sent = (int) done.values().stream().filter("sent"::equals).count();
        List<String> errors = new ArrayList<>();
        List<PushTargets.Device> open = targets.stream().filter(d -> !done.containsKey(d.deviceId())).toList();
        for (int i = 0; i < open.size(); i++) {
            PushTargets.Device device = open.get(i);
            ProjectChannel channel = device.ios() && apnsChannel != null ? apnsChannel : fcmChannel;
            if (channel == null) {
                o.progress().record(device.deviceId(), "skipped: no push channel for " + device.platform());
                continue;
            }
            if (deadline.passed()) {
                return SendResult.retry("push: " + deadline.describe() + " ran out with " + (open.size() - i)
                        + " device(s) not tried; the next attempt goes on with them");
            }
            SendResult r = send(channel, o, device, deadline);
            if (r.delivered()) {
                o.progress().record(device.deviceId(), "sent");
                sent++;
            } else if (r.retryable()) {
                return r;
            } else {
                if (Boolean.TRUE.equals(r.details().get(TOKEN_DEAD))) {
                    devices.markDead(o.projectId(), device.deviceId(), device.token());
                }
                o.progress().record(device.deviceId(), "failed: " + r.error());
                errors.add(device.deviceId() + ": " + r.error());
            }
        }
        if (sent > 0) {
            return SendResult.ok(Map.of("devices", sent));
        }
        return SendResult.reject(targets.isEmpty() && errors.isEmpty() ? "the user has no device with a live push token"
                : SendResult.abbreviate("no device accepted the push: " + String.join("; ", errors)));
    }

    /** One notification to one device token. */
    private SendResult send(ProjectChannel channel, Outgoing o, PushTargets.Device device, Deadline deadline) {
        Peer peer = channel.config() instanceof ApnsConfig ? Peer.APNS : Peer.FCM;
        try {
            return channel.config() instanceof ApnsConfig a ? apns.send(channel, a, o, device, deadline)
                    : fcm.send(channel, (FcmConfig) channel.config(), o, device, deadline);
        } catch (IllegalArgumentException e) {
            return SendResult.reject("push channel misconfigured: its base URL is not an http or https URL");
        } catch (IOException e) {
            return ConnectionFailures.of(peer, e);
        }
    }

    /** Custom data: every {@code data.<key>} field, plus the deep link, the image and the message id (strings, as FCM requires). */
    static Map<String, String> data(Outgoing o) {
        Map<String, String> data = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = o.content().fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getKey().startsWith("data.") && f.getKey().length() > 5) {
                data.put(f.getKey().substring(5), f.getValue().asText());
            }
        }
        if (o.field("deepLink") != null) {
            data.put("deepLink", o.field("deepLink"));
        }
        if (o.field("image") != null) {
            data.put("image", o.field("image"));
        }
        data.put("messageId", o.messageId());
        return data;
    }

    static void putIf(ObjectNode node, String name, String value) {
        if (value != null) {
            node.put(name, value);
        }
    }
}
