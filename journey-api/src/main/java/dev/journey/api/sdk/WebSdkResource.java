package dev.journey.api.sdk;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import dev.journey.api.access.Public;
import dev.journey.api.error.ApiException;

/**
 * The Web SDK at a stable, versioned path: {@code /sdk/web/v1/journey.js} (script tag, {@code window.Journey})
 * and {@code /sdk/web/v1/journey.mjs} (ES module). The files are {@code src/sdk/web}'s, copied into the jar by
 * the build. Public: it is the same code anyone can read on the customer's pages. A new major version of the
 * SDK's API gets a new path ({@code v2}); within v1, changes keep the API.
 */
@Path("/sdk/web/v1/{file}")
public class WebSdkResource {
    private static final Map<String, String> FILES = Map.of("journey.js", "journey-sdk/web/journey.js",
            "journey.mjs", "journey-sdk/web/journey.mjs");

    @GET
    @Public
    public Response file(@PathParam("file") String file) throws IOException {
        String resource = FILES.get(file);
        if (resource == null) {
            throw ApiException.notFound("SDK file " + file + " (there are journey.js and journey.mjs)");
        }
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the build");
            }
            return Response.ok(in.readAllBytes(), "text/javascript; charset=utf-8")
                    // Short: the same path carries fixes of v1 as the engine is upgraded.
                    .header("Cache-Control", "public, max-age=300")
                    .header("X-Content-Type-Options", "nosniff")
                    .build();
        }
    }
}
