package dev.journey.api.delivery;

import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import dev.journey.api.error.ApiException;
import dev.journey.worker.message.TrackedLinks;
import io.agroal.api.AgroalDataSource;

/**
 * {@code GET /c/{token}}: a tracked link. No API key (a mail client or phone follows it), so the
 * token is the authority: it names the project, the message and the destination, and is signed
 * with the project's link secret; anything else is a 404 and redirects nowhere.
 */
@Path("/c/{token}")
public class ClickResource {
    @Inject
    AgroalDataSource db;
    @Inject
    Engagement engagement;

    @GET
    public Response follow(@PathParam("token") String token) {
        TrackedLinks.Link link = TrackedLinks.read(token);
        String secret = link == null ? null : secret(link.projectId());
        if (secret == null || !TrackedLinks.verify(secret, token)) {
            throw ApiException.notFound("this link");
        }
        Engagement.Message m = engagement.find(link.projectId(), link.messageId());
        if (m == null) {
            throw ApiException.notFound("this link");
        }
        URI target;
        try {
            target = URI.create(link.url());
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("this link");
        }
        engagement.clicked(link.projectId(), m, link.url());
        return Response.status(302).location(target).build();
    }

    private String secret(String projectId) {
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(
                "SELECT link_secret FROM delivery_settings WHERE project_id = ?")) {
            st.setString(1, projectId);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("link secret could not be read: " + e.getMessage(), e);
        }
    }
}
