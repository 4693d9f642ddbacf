package dev.journey.api.template;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.journey.templates.Partials;
import io.agroal.api.AgroalDataSource;

/**
 * A project's stored snippets as {@link Partials}: looked up by name when a template first uses
 * one, then remembered for the rest of that request. The project id is in every query, so a
 * template can only ever reach its own project's snippets.
 */
@ApplicationScoped
public class ProjectSnippets {
    @Inject
    AgroalDataSource db;

    public Partials of(String projectId) {
        Map<String, String> seen = new HashMap<>();
        return name -> seen.computeIfAbsent(name, n -> load(projectId, n));
    }

    private String load(String projectId, String name) {
        try (Connection c = db.getConnection();
             PreparedStatement st = c.prepareStatement("SELECT source FROM snippet WHERE project_id = ? AND name = ?")) {
            st.setString(1, projectId);
            st.setString(2, name);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("snippet '" + name + "' could not be read: " + e.getMessage(), e);
        }
    }
}
