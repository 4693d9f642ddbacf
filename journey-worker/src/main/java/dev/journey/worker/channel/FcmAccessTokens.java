package dev.journey.worker.channel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.auth.oauth2.GoogleCredentials;

/**
 * The bearer token of an FCM request: minted from the channel's service account, or the fixed
 * token the channel was given. A minted token is kept by its credentials object and renewed by it
 * shortly before it expires, so one object per service account is remembered between sends.
 */
final class FcmAccessTokens {
    static final String SCOPE = "https://www.googleapis.com/auth/firebase.messaging";

    private final Cache<String, GoogleCredentials> credentials = Caffeine.newBuilder()
            .maximumSize(1_000)
            // A channel deleted or given another key stops being remembered after a while without sends.
            .expireAfterAccess(Duration.ofHours(2))
            .build();

    String token(FcmConfig config) throws IOException {
        if (config.serviceAccount() == null) {
            return config.accessToken();
        }
        GoogleCredentials account;
        try {
            account = credentials.get(config.serviceAccount().toString(), key -> {
                try {
                    return config.credentials().createScoped(List.of(SCOPE));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        account.refreshIfExpired();
        return account.getAccessToken().getTokenValue();
    }
}
