package dev.journey.api.project;

import java.util.List;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import dev.journey.api.error.ApiError;
import dev.journey.api.error.ApiException;

@ApplicationScoped
public class Projects {
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    public record Created(String projectId, String apiKey) {}

    @Inject
    ApiKeys keys;

    @Transactional
    public Created create(String requestedId, String name) {
        String id = requestedId == null || requestedId.isBlank() ? ApiKeys.newSecret("p_").substring(0, 14) : requestedId;
        if (!ID.matcher(id).matches()) {
            throw ApiException.badRequest("invalid project id", List.of(new ApiError.Detail("projectId",
                    "use 1 to 64 lower-case letters, digits, '_' or '-'")));
        }
        if (Project.findById(id) != null) {
            throw new ApiException(409, "conflict", "project " + id + " exists");
        }
        create(id, name, null);
        return new Created(id, keys.issue(id));
    }

    /** Creates the project unless it exists, and registers {@code key} for it when given. */
    @Transactional
    public void create(String id, String name, String key) {
        if (Project.findById(id) == null) {
            Project project = new Project();
            project.id = id;
            project.name = name;
            project.persist();
        }
        if (key != null) {
            keys.register(id, key);
        }
    }
}
