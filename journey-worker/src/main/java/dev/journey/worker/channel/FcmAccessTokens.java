package dev.journey.worker.channel;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * The bearer token of an FCM request: minted from the channel's service account, or the fixed
 * token the channel was given. Minting is OAuth's JWT-bearer grant (RFC 7523) at the account's
 * {@code token_uri}: an assertion signed with the account's key is exchanged for an access token.
 * It is done here, over {@link ProviderHttp}, rather than by Google's credentials object, because
 * it happens inside a send: it must end by the attempt's deadline and read a bounded answer, and
 * that library's transport has its own timeouts and reads whole bodies — and because the
 * account's {@code token_uri} is a destination like any other: it must be held to the outbound
 * policy when the request connects. A minted token is remembered per channel and service account
 * ({@link TokenCacheKey}) and used until shortly before it expires.
 */
final class FcmAccessTokens {
    static final String SCOPE = "https://www.googleapis.com/auth/firebase.messaging";
    static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    /** Google lets an assertion live an hour at most. */
    private static final Duration ASSERTION_LIFETIME = Duration.ofHours(1);
    /** A token is renewed this long before it expires, so no send starts with a token about to die. */
    private static final Duration RENEW_BEFORE = Duration.ofMinutes(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
    /** OAuth's error codes are lower-case words ("invalid_grant"). */
    private static final Pattern OAUTH_ERROR = Pattern.compile("[a-z_]{1,40}");

    /** Google's token endpoint answered with an error: {@code verdict} says whether another attempt may do better. */
    static final class Refused extends IOException {
        final SendResult verdict;

        Refused(SendResult verdict) {
            super(verdict.error());
            this.verdict = verdict;
        }
    }

    private record Minted(String token, Instant renewAt) {}

    private final ProviderHttp http;
    private final ObjectMapper json;
    private final Cache<TokenCacheKey, Minted> minted = Caffeine.newBuilder()
            .maximumSize(1_000)
            // A channel deleted or given another key stops being remembered after a while without sends.
            .expireAfterAccess(Duration.ofHours(2))
            .build();

    FcmAccessTokens(ProviderHttp http, ObjectMapper json) {
        this.http = http;
        this.json = json;
    }

    /**
     * The token for a request of this attempt.
     *
     * @throws Refused when the key is unusable or the token endpoint answered with an error status
     * @throws IOException when the endpoint could not be reached (or was refused by the outbound policy) or did not answer in time
     */
    String token(ProjectChannel channel, FcmConfig config, Deadline deadline) throws IOException {
        if (config.serviceAccount() == null) {
            return config.accessToken();
        }
        TokenCacheKey key = TokenCacheKey.of(channel, config.serviceAccount().toString());
        Minted known = minted.getIfPresent(key);
        if (known != null && Instant.now().isBefore(known.renewAt())) {
            return known.token();
        }
        ServiceAccountCredentials account;
        try {
            account = config.credentials();
        } catch (IOException e) {
            throw new Refused(SendResult.reject("the service account key is unusable"));
        }
        Minted fresh = mint(account, deadline);
        minted.put(key, fresh);
        return fresh.token();
    }

    private Minted mint(ServiceAccountCredentials account, Deadline deadline) throws IOException {
        URI endpoint = account.getTokenServerUri();
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", GRANT_TYPE);
        form.put("assertion", assertion(account, endpoint));
        Request request;
        try {
            request = new Request.Builder().url(endpoint.toString())
                    .post(RequestBody.create(SmsChannel.formEncode(form).getBytes(StandardCharsets.UTF_8), SmsChannel.FORM))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new Refused(SendResult.reject("the service account's token_uri is not an http or https URL"));
        }
        ProviderHttp.Answer answer = http.send(request, REQUEST_TIMEOUT, deadline);
        if (!answer.ok()) {
            throw new Refused(SendResult.ofHttp(answer.status(), Peer.FCM_TOKEN_ENDPOINT, answer.code(json, "/error", OAUTH_ERROR)));
        }
        JsonNode token;
        try {
            token = json.readTree(answer.body());
        } catch (IOException e) {
            throw new Refused(SendResult.retry("the token endpoint's answer is not JSON"));
        }
        if (!token.path("access_token").isTextual()) {
            throw new Refused(SendResult.retry("the token endpoint's answer has no access_token"));
        }
        long seconds = token.path("expires_in").asLong(3600);
        return new Minted(token.get("access_token").asText(), Instant.now().plusSeconds(seconds).minus(RENEW_BEFORE));
    }

    /** {"alg":"RS256","kid":privateKeyId}.{"iss":clientEmail,"scope":…,"aud":tokenUri,"iat","exp"}, signed with the account's key. */
    private static String assertion(ServiceAccountCredentials account, URI endpoint) throws Refused {
        Instant now = Instant.now();
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).keyID(account.getPrivateKeyId()).build(),
                    new JWTClaimsSet.Builder()
                            .issuer(account.getClientEmail())
                            .claim("scope", SCOPE)
                            .audience(endpoint.toString())
                            .issueTime(Date.from(now))
                            .expirationTime(Date.from(now.plus(ASSERTION_LIFETIME)))
                            .build());
            jwt.sign(new RSASSASigner(account.getPrivateKey()));
            return jwt.serialize();
        } catch (JOSEException | IllegalArgumentException e) {
            throw new Refused(SendResult.reject("the service account key cannot sign"));
        }
    }
}
