package dev.journey.worker.channel;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where a provider token minted from a channel's credentials is remembered: per project and
 * channel, and per credential, so two projects that happen to use the same key id never share a
 * token (one project's token must not authorise another's sends), and a channel given a new key
 * mints a new token at once. The credential is kept as a hash: the cache holds no key material.
 */
record TokenCacheKey(String projectId, String channelId, String credentialHash) {
    static TokenCacheKey of(ProjectChannel channel, String... credential) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            for (String part : credential) {
                sha256.update(String.valueOf(part).getBytes(StandardCharsets.UTF_8));
                sha256.update((byte) 0);
            }
            return new TokenCacheKey(channel.projectId(), channel.id(), HexFormat.of().formatHex(sha256.digest()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
