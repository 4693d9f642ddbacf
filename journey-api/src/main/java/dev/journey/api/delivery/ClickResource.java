package dev.journey.api.delivery;

import java.net.URI;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import dev.journey.api.access.Public;
import dev.journey.api.error.ApiException;
import dev.journey.worker.message.DeliverySettingsStore;
import dev.journey.worker.message.MessageStore;
import dev.journey.worker.message.TrackedLinks;

/**
 * {@code GET /c/{token}}: a tracked link. No API key (a mail client or phone follows it), so the
 * token is the authority: it names the project, the message and the destination, and is signed
 * with the project's link secret; anything else is a 404 and redirects nowhere.
 */
@Public
@Path("/c/{token}")
public class ClickResource {
    @Inject
    DeliverySettingsStore settings;
    @Inject
    Engagement engagement;

    @GET
    public Response follow(@PathParam("token") String token) {
        TrackedLinks.Link link = TrackedLinks.read(token);
        // A token naming a project with a NUL in its id was never made here (and PostgreSQL could not look it up).
        boolean possible = link != null && link.projectId().indexOf('\u0000') < 0;
        String secret = possible ? settings.linkSecret(link.projectId()).orElse(null) : null;
        if (secret == null || !TrackedLinks.verify(secret, token)) {
            throw ApiException.notFound("this link");
        }
        MessageStore.Summary m = engagement.find(link.projectId(), link.messageId()).orElseThrow(() -> ApiException.notFound("this link"));
        URI target;
        try {
            target = URI.create(link.url());
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("this link");
        }
        engagement.clicked(link.projectId(), m, link.url());
        return Response.status(302).location(target).build();
    }
}
