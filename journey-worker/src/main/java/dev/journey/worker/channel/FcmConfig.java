package dev.journey.worker.channel;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.google.auth.oauth2.ServiceAccountCredentials;

/**
 * FCM HTTP v1 for the Firebase project {@code fcmProjectId}, authorised either by a service
 * account's JSON key ({@code serviceAccount}: access tokens are minted from it and renewed as they
 * expire) or by a fixed OAuth {@code accessToken} (which Google lets live an hour).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FcmConfig(String baseUrl, String fcmProjectId, String accessToken, JsonNode serviceAccount) implements PushConfig {
    static final String DEFAULT_BASE_URL = "https://fcm.googleapis.com";

    public String providerUrl() {
        return baseUrl == null ? DEFAULT_BASE_URL : baseUrl;
    }

    @Override
    public List<Object> destination() {
        return java.util.Arrays.asList("fcm", providerUrl(), fcmProjectId);
    }

    /** The service account key as Google's libraries read it. */
    ServiceAccountCredentials credentials() throws IOException {
        return ServiceAccountCredentials.fromStream(new ByteArrayInputStream(serviceAccount.toString().getBytes(StandardCharsets.UTF_8)));
    }

    static FcmConfig parse(String baseUrl, JsonNode in, List<ConfigProblem> problems) {
        JsonNode account = serviceAccount(in.get("serviceAccount"), problems);
        String projectId = account != null && !in.hasNonNull("fcmProjectId") && account.hasNonNull("project_id")
                ? account.get("project_id").asText()
                : ConfigFields.text(in, "fcmProjectId", true, problems);
        String accessToken = ConfigFields.text(in, "accessToken", account == null && !in.hasNonNull("serviceAccount"), problems);
        return new FcmConfig(baseUrl, projectId, accessToken, account);
    }

    /** The key as an object (given as one, or as the JSON file's text), if Google's library can use it. */
    private static JsonNode serviceAccount(JsonNode v, List<ConfigProblem> problems) {
        if (v == null || v.isNull()) {
            return null;
        }
        try {
            JsonNode key = v.isTextual() ? ConfigJson.MAPPER.readTree(v.asText()) : v;
            if (key.isObject()) {
                new FcmConfig(null, null, null, key).credentials();
                return key;
            }
        } catch (IOException | RuntimeException e) {
            // the answer below names what is expected
        }
        problems.add(new ConfigProblem("serviceAccount", "must be a Firebase service account key: the JSON object with"
                + " \"type\": \"service_account\", \"client_email\", \"private_key\" and \"token_uri\""));
        return null;
    }
}
