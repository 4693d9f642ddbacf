package dev.journey.api.delivery;

import java.util.Base64;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import dev.journey.api.access.Public;
import dev.journey.api.error.ApiException;
import dev.journey.worker.message.DeliverySettingsStore;
import dev.journey.worker.message.OpenPixel;

/**
 * {@code GET /o/{token}}: an e-mail's open pixel. No API key (a mail client loads it), so the token
 * is the authority, as for tracked links: it names the project and the message and is signed with
 * the project's link secret; anything else is a 404. Answers a transparent 1×1 GIF that no cache
 * keeps, so a second open reaches the engine too (and records nothing new).
 */
@Public
@Path("/o/{token}")
public class OpenPixelResource {
    private static final byte[] GIF = Base64.getDecoder().decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    @Inject
    DeliverySettingsStore settings;
    @Inject
    Engagement engagement;

    @GET
    public Response open(@PathParam("token") String token) {
        OpenPixel.Open open = OpenPixel.read(token);
        // A token naming a project with a NUL in its id was never made here (and PostgreSQL could not look it up).
        boolean possible = open != null && open.projectId().indexOf('\u0000') < 0 && open.messageId().indexOf('\u0000') < 0;
        String secret = possible ? settings.linkSecret(open.projectId()).orElse(null) : null;
        if (secret == null || !OpenPixel.verify(secret, token)) {
            throw ApiException.notFound("this image");
        }
        engagement.find(open.projectId(), open.messageId()).ifPresent(m -> engagement.opened(open.projectId(), m));
        return Response.ok(GIF, "image/gif")
                .header("Cache-Control", "no-store, no-cache, must-revalidate, private")
                .header("Pragma", "no-cache")
                .build();
    }
}
