package dev.journey.worker.sign;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Tokens that carry their own data, signed with a project's link secret: the parts, newline-separated
 * and base64url-encoded, then a dot and an HMAC-SHA256 of them. The endpoints a mail client or browser
 * opens without an API key (tracked links, unsubscribe links) trust only what such a token says.
 */
public final class SignedTokens {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private SignedTokens() {}

    /** No part may hold a newline (ids and URLs cannot). */
    public static String sign(String secret, String... parts) {
        byte[] payload = String.join("\n", parts).getBytes(StandardCharsets.UTF_8);
        return B64.encodeToString(payload) + "." + B64.encodeToString(mac(secret, payload));
    }

    /** The token's parts, unchecked (the caller needs one of them to find the secret); null unless it has exactly {@code count}. */
    public static List<String> read(String token, int count) {
        int dot = token == null ? -1 : token.indexOf('.');
        if (dot <= 0) {
            return null;
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(token.substring(0, dot)), StandardCharsets.UTF_8).split("\n", count);
            return parts.length == count ? Arrays.asList(parts) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Whether the token was made with this secret from {@code parts} (compared in constant time). */
    public static boolean verify(String secret, String token, List<String> parts) {
        return MessageDigest.isEqual(sign(secret, parts.toArray(String[]::new)).getBytes(StandardCharsets.US_ASCII),
                token.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] mac(String secret, byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(payload);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
