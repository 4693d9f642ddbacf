package dev.journey.worker.channel;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Seals the secret fields of a stored channel configuration (webhook secret, SMTP password, push
 * credentials, SMS auth token) with AES-256-GCM, so a copy of the database, a backup or a replica
 * holds no usable credential without the key, which lives outside the database (the environment,
 * or the data directory in the embedded default).
 *
 * <p>A sealed value is the text {@code enc:v1:<key id>:<base64 of nonce and ciphertext>}. The
 * project, channel and field are bound into it as associated data, so a sealed value copied into
 * another channel's row does not open. The key id names which key sealed it: values sealed with a
 * previous key still open while keys are rotated, and are sealed with the current key when the
 * channel is next written. A value not in that form was stored before sealing existed and is read
 * as it is until it is sealed ({@link ChannelStore#sealStoredSecrets()}).
 */
public final class ChannelSecrets {
    private static final String PREFIX = "enc:v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String currentId;
    private final Map<String, SecretKeySpec> keys = new LinkedHashMap<>();

    private ChannelSecrets(byte[] current, List<byte[]> previous) {
        currentId = add(current);
        previous.forEach(this::add);
    }

    /**
     * @param currentKey   the key new values are sealed with: 32 bytes, base64
     * @param previousKeys keys that sealed values still stored (while rotating), base64
     * @throws IllegalArgumentException naming what is wrong with a key
     */
    public static ChannelSecrets withKeys(String currentKey, List<String> previousKeys) {
        List<byte[]> previous = new ArrayList<>();
        for (String key : previousKeys) {
            if (!key.isBlank()) {
                previous.add(decodeKey(key.trim()));
            }
        }
        return new ChannelSecrets(decodeKey(currentKey.trim()), previous);
    }

    /** A fresh random key, base64: what the embedded default generates once and keeps. */
    public static String newKey() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /** A random key held only in memory: for tests that store channels. */
    public static ChannelSecrets ephemeral() {
        return withKeys(newKey(), List.of());
    }

    /** The stored form of one secret field's value. */
    JsonNode seal(String projectId, String channelId, String field, JsonNode value) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, keys.get(currentId), nonce, projectId, channelId, field);
            byte[] sealed = cipher.doFinal(value.toString().getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
            return TextNode.valueOf(PREFIX + currentId + ":" + Base64.getEncoder().encodeToString(out));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available: " + e.getMessage(), e);
        }
    }

    /** The value a secret field holds, from its stored form (sealed, or stored before sealing existed). */
    JsonNode open(String projectId, String channelId, String field, JsonNode stored) {
        if (!isSealed(stored)) {
            return stored;
        }
        String text = stored.asText();
        int idEnd = text.indexOf(':', PREFIX.length());
        String keyId = idEnd < 0 ? "" : text.substring(PREFIX.length(), idEnd);
        SecretKeySpec key = keys.get(keyId);
        if (key == null) {
            throw new IllegalStateException("the " + field + " of channel " + channelId + " was sealed with key " + keyId
                    + ", which is not configured (set it as a previous channel-secrets key)");
        }
        try {
            byte[] in = Base64.getDecoder().decode(text.substring(idEnd + 1));
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, java.util.Arrays.copyOf(in, NONCE_BYTES), projectId, channelId, field);
            byte[] plain = cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES);
            return ConfigJson.MAPPER.readTree(new String(plain, StandardCharsets.UTF_8));
        } catch (GeneralSecurityException | IllegalArgumentException | JsonProcessingException e) {
            throw new IllegalStateException("the " + field + " of channel " + channelId + " does not open with key " + keyId
                    + " (changed, or copied from another channel)", e);
        }
    }

    /** Whether a stored value is sealed with the current key (else the next write seals it again). */
    boolean sealedWithCurrentKey(JsonNode stored) {
        return isSealed(stored) && stored.asText().startsWith(PREFIX + currentId + ":");
    }

    private static boolean isSealed(JsonNode stored) {
        return stored != null && stored.isTextual() && stored.asText().startsWith(PREFIX);
    }

    private static Cipher cipher(int mode, SecretKeySpec key, byte[] nonce, String projectId, String channelId, String field)
            throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD((projectId + "\u0000" + channelId + "\u0000" + field).getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    private String add(byte[] key) {
        String id = keyId(key);
        keys.putIfAbsent(id, new SecretKeySpec(key, "AES"));
        return id;
    }

    /** Names a key without revealing it: the first 8 hex digits of a hash of it. */
    private static String keyId(byte[] key) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("journey channel secrets key id".getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(key), 0, 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] decodeKey(String base64) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a channel-secrets key must be 32 bytes in base64 (e.g. openssl rand -base64 32): not base64");
        }
        if (key.length != 32) {
            throw new IllegalArgumentException("a channel-secrets key must be 32 bytes in base64 (e.g. openssl rand -base64 32): it has "
                    + key.length + " bytes");
        }
        return key;
    }
}
