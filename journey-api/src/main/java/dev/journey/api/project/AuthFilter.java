package dev.journey.api.project;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.journey.api.access.AccessRule;
import dev.journey.api.access.AdminOnly;
import dev.journey.api.access.Caller;
import dev.journey.api.access.KeyScope;
import dev.journey.api.access.ProjectKey;
import dev.journey.api.access.Public;
import dev.journey.api.error.ApiError;
import dev.journey.api.error.ErrorMappers;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;

/**
 * Lets a request reach its resource method only as that method declares ({@link AccessRule}): {@code @Public}
 * for anyone, {@code @AdminOnly} with the admin token, {@code @ProjectKey} with a key of the path's project
 * (401 when missing or unknown, 403 for another project's key or a publishable key where a secret one is
 * needed). A method that declares nothing is refused: access is denied by default. Publishable keys are
 * rate-limited per key (429 with Retry-After).
 */
public class AuthFilter {
    private static final Logger LOG = Logger.getLogger(AuthFilter.class);
    static final String PUBLISHABLE_REFUSED =
            "a publishable key can only track events, set user tags and subscriptions, register devices and use the in-app inbox; use a secret key";

    static final String SECRET_IN_QUERY =
            "a secret key is accepted only in the Authorization header; the key query parameter is for publishable keys";

    @Inject
    ApiKeys keys;
    @Inject
    AdminToken admin;
    @Inject
    KeyRateLimiter rateLimiter;
    @Inject
    Caller caller;

    private static final Uni<Response> PASS = Uni.createFrom().nullItem();

    private final Map<Method, Optional<Annotation>> rules = new ConcurrentHashMap<>();

    /**
     * The request goes on when the answer is null. The track endpoint is served on the event loop, which must not
     * wait for the database: a key that is not in memory is looked up on a worker thread there.
     */
    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Uni<Response> authenticate(ContainerRequestContext request, UriInfo uri, ResourceInfo resource) {
        if (resource.getResourceMethod() == null) {
            return deny(403, "forbidden", "this endpoint is not open to any caller");
        }
        Optional<Annotation> rule = rules.computeIfAbsent(resource.getResourceMethod(), method -> {
            Annotation declared = AccessRule.of(resource.getResourceClass(), method);
            if (declared == null) {
                LOG.errorf("%s.%s declares no access rule (or more than one): every call is refused",
                        resource.getResourceClass().getSimpleName(), method.getName());
            }
            return Optional.ofNullable(declared);
        });
        if (rule.isEmpty()) {
            return deny(403, "forbidden", "this endpoint is not open to any caller");
        }
        if (rule.get() instanceof Public) {
            return PASS;
        }
        String bearer = bearer(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        boolean fromQuery = false;
        if (bearer == null && rule.get() instanceof ProjectKey beacon && beacon.keyInQuery()) {
            // sendBeacon cannot set a header: the Web SDK's last events of a page come with ?key=jpk_… (publishable only).
            String key = uri.getQueryParameters().getFirst("key");
            bearer = key == null || key.isBlank() ? null : key.trim();
            fromQuery = bearer != null;
        }
        if (bearer == null) {
            return deny(401, "unauthorized", "send \"Authorization: Bearer <key>\"");
        }
        if (rule.get() instanceof AdminOnly) {
            return admin.matches(bearer) ? PASS : deny(401, "unauthorized", "the admin token is not valid");
        }
        ProjectKey needs = (ProjectKey) rule.get();
        if (needs.orAdmin() && admin.matches(bearer)) {
            caller.authenticatedWith(KeyScope.SECRET);
            return PASS;
        }
        ApiKeys.Presented presented = ApiKeys.presented(bearer);
        boolean inQuery = fromQuery;
        String projectId = uri.getPathParameters().getFirst("projectId");
        if (Context.isOnEventLoopThread() && !keys.remembers(presented)) {
            return Uni.createFrom().item(() -> keys.verify(presented)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                    .map(key -> admit(key, inQuery, projectId, needs));
        }
        return Uni.createFrom().item(admit(keys.verify(presented), inQuery, projectId, needs));
    }

    /** The answer to a request with this key (null: it goes on). */
    private Response admit(Optional<ApiKeys.Verified> key, boolean fromQuery, String projectId, ProjectKey needs) {
        if (key.isEmpty()) {
            return denial(401, "unauthorized", "the API key is not valid");
        }
        if (fromQuery && key.get().scope() != KeyScope.PUBLISHABLE) {
            return denial(401, "unauthorized", SECRET_IN_QUERY);
        }
        if (!key.get().projectId().equals(projectId)) {
            return denial(403, "forbidden", "this API key belongs to another project");
        }
        if (key.get().scope() == KeyScope.PUBLISHABLE) {
            // Counted before the scope check: a public key spraying refused calls is limited too.
            Duration wait = rateLimiter.acquire(key.get().keyId());
            if (!wait.isZero()) {
                long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
                return Response.fromResponse(ErrorMappers.json(429, new ApiError("rate_limited",
                        "too many requests with this publishable key; try again in " + seconds + " s", null)))
                        .header("Retry-After", seconds).build();
            }
            if (needs.scope() == KeyScope.SECRET) {
                return denial(403, "forbidden", PUBLISHABLE_REFUSED);
            }
        }
        caller.authenticatedWith(key.get().scope());
        return null;
    }

    private static String bearer(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = header.substring(7).trim();
        return token.isEmpty() ? null : token;
    }

    private static Uni<Response> deny(int status, String code, String message) {
        return Uni.createFrom().item(denial(status, code, message));
    }

    private static Response denial(int status, String code, String message) {
        return ErrorMappers.json(status, new ApiError(code, message, null));
    }
}
