package dev.journey.worker.channel;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;

import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * Twilio's Messages API shape: a form POST of To, From (or MessagingServiceSid) and Body to
 * {@code <baseUrl>/2010-04-01/Accounts/<accountSid>/Messages.json} with basic auth, carrying the
 * message id as Twilio's idempotency token. The body's encoding and segment count are worked out
 * first: a body longer than the channel's {@code maxSegments} is failed without sending, since a
 * provider would otherwise bill it as that many messages (or cut it).
 */
public class SmsChannel implements Channel {
    public static final String TWILIO_IDEMPOTENCY_HEADER = "I-Twilio-Idempotency-Token";

    /** One request's own limit; what is left of the attempt's deadline may cut it shorter. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

    static final MediaType FORM = MediaType.get("application/x-www-form-urlencoded");
    /** Twilio's documented error codes are numbers (21211: invalid 'To' number). */
    private static final Pattern TWILIO_CODE = Pattern.compile("[0-9]{1,6}");
    private static final Pattern MESSAGE_SID = Pattern.compile("[A-Za-z0-9]{1,64}");

    private final ProviderHttp http;
    private final ObjectMapper json;

    SmsChannel(ProviderHttp http, ObjectMapper json) {
        this.http = http;
        this.json = json;
    }

    @Override
    public ChannelType type() {
        return ChannelType.SMS;
    }

    @Override
    public SendResult send(Outgoing o, List<ProjectChannel> configured, Deadline deadline) {
        SmsConfig c = (SmsConfig) configured.get(0).config();
        String to = o.recipient("phone");
        if (to == null || !SmsConfig.E164.matcher(to).matches()) {
            return SendResult.reject("no valid phone number (E.164, e.g. +14155550100): render a \"to\" field or give the user a \"phone\" tag"
                    + (to == null ? "" : "; got " + to));
        }
        String body = o.field("body");
        if (body == null) {
            return SendResult.reject("an SMS needs a \"body\" field");
        }
        SmsEncoding enc = SmsEncoding.of(body);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("to", to);
        details.put("encoding", enc.encoding());
        details.put("segments", enc.segments());
        int max = c.segmentLimit();
        if (enc.segments() > max) {
            return SendResult.reject("the SMS needs " + enc.segments() + " segments (" + enc.encoding() + ", " + enc.units()
                    + " units); the channel allows " + max, details);
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("To", to);
        if (c.messagingServiceSid() != null) {
            form.put("MessagingServiceSid", c.messagingServiceSid());
        } else {
            form.put("From", c.from());
        }
        form.put("Body", body);
        String sid = c.accountSid();
        String auth = Base64.getEncoder().encodeToString((sid + ":" + c.authToken()).getBytes(StandardCharsets.UTF_8));
        Request request;
        try {
            request = new Request.Builder().url(c.providerUrl()
                            + "/2010-04-01/Accounts/" + URLEncoder.encode(sid, StandardCharsets.UTF_8) + "/Messages.json")
                    .header("Authorization", "Basic " + auth)
                    .header(TWILIO_IDEMPOTENCY_HEADER, o.messageId())
                    .header(WebhookChannel.IDEMPOTENCY_HEADER, o.messageId())
                    .post(RequestBody.create(formEncode(form).getBytes(StandardCharsets.UTF_8), FORM))
                    .build();
        } catch (IllegalArgumentException e) {
            return SendResult.reject("invalid SMS base URL", details);
        }
        ProviderHttp.Answer answer;
        try {
            answer = http.send(request, REQUEST_TIMEOUT, deadline);
        } catch (IOException e) {
            return ConnectionFailures.of(Peer.TWILIO, e);
        }
        if (!answer.ok()) {
            SendResult result = SendResult.ofHttp(answer.status(), Peer.TWILIO,
                    answer.code(json, "/code", TWILIO_CODE).map(code -> "code " + code));
            return new SendResult(false, result.retryable(), result.error(), details);
        }
        // An id of another shape is not kept: the message log shows it, and the peer chose it.
        answer.code(json, "/sid", MESSAGE_SID).ifPresent(id -> details.put("providerId", id));
        return SendResult.ok(details);
    }

    static String formEncode(Map<String, String> form) {
        StringBuilder out = new StringBuilder();
        form.forEach((k, v) -> {
            if (out.length() > 0) {
                out.append('&');
            }
            out.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
        return out.toString();
    }
}
