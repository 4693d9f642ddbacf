package dev.journey.worker.channel;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/** APNs with a provider token: the team, the key's id, the app's bundle id and the .p8 signing key (PEM). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApnsConfig(String baseUrl, String teamId, String keyId, String bundleId, String privateKey) implements PushConfig {
    static final String DEFAULT_BASE_URL = "https://api.push.apple.com";

    public String providerUrl() {
        return baseUrl == null ? DEFAULT_BASE_URL : baseUrl;
    }

    @Override
    public List<Object> destination() {
        return java.util.Arrays.asList("apns", providerUrl(), teamId);
    }

    ECPrivateKey signingKey() throws GeneralSecurityException {
        String base64 = privateKey.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        try {
            return (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("not base64: " + e.getMessage(), e);
        }
    }

    static ApnsConfig parse(String baseUrl, JsonNode in, List<ConfigProblem> problems) {
        String teamId = ConfigFields.text(in, "teamId", true, problems);
        String keyId = ConfigFields.text(in, "keyId", true, problems);
        String bundleId = ConfigFields.text(in, "bundleId", true, problems);
        String privateKey = ConfigFields.text(in, "privateKey", true, problems);
        ApnsConfig config = new ApnsConfig(baseUrl, teamId, keyId, bundleId, privateKey);
        if (privateKey != null) {
            try {
                config.signingKey();
            } catch (GeneralSecurityException | ClassCastException e) {
                problems.add(new ConfigProblem("privateKey", "must be the APNs signing key (.p8, PEM, \"-----BEGIN PRIVATE KEY-----…\")"));
            }
        }
        return config;
    }
}
