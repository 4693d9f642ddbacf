package dev.journey.api.sdk;

import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * CORS for the Web SDK, and for nothing else: a page on the customer's site (any origin) loads the SDK from
 * {@code /sdk/…} and calls the endpoints a publishable key may use — track, devices, the user's tags and in-app
 * inbox, in-app actions. Every other endpoint answers no CORS, so a browser page cannot drive the secret-key API.
 * No credentials (cookies) are involved: the key is in the Authorization header, so {@code *} grants nothing a
 * script outside a browser could not do already.
 */
@ApplicationScoped
public class SdkCors {
    static final Pattern SDK_PATHS = Pattern.compile("/sdk/web/.*"
            + "|/v1/projects/[^/]+/(track|devices|users/[^/]+/(inapp|tags)|inapp/[^/]+/[^/]+)");

    void register(@Observes Filters filters) {
        filters.register(SdkCors::handle, 100);
    }

    static void handle(RoutingContext rc) {
        String origin = rc.request().getHeader(HttpHeaders.ORIGIN);
        if (origin == null || !SDK_PATHS.matcher(rc.normalizedPath()).matches()) {
            rc.next();
            return;
        }
        rc.response().putHeader("Access-Control-Allow-Origin", "*")
                .putHeader("Access-Control-Expose-Headers", "Retry-After");
        if (rc.request().method() == HttpMethod.OPTIONS && rc.request().getHeader("Access-Control-Request-Method") != null) {
            // The preflight of a call with Authorization or a JSON body: answered here, never reaching the auth filter.
            rc.response().setStatusCode(204)
                    .putHeader("Access-Control-Allow-Methods", "GET, POST, PUT")
                    .putHeader("Access-Control-Allow-Headers", "Authorization, Content-Type")
                    .putHeader("Access-Control-Max-Age", "86400")
                    .end();
            return;
        }
        rc.next();
    }
}
