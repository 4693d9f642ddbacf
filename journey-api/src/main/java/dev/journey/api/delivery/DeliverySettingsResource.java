package dev.journey.api.delivery;

import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.journey.api.error.ApiError;
import dev.journey.api.error.ApiException;
import dev.journey.worker.dsl.Durations;
import dev.journey.worker.dsl.JourneyValidator;
import dev.journey.worker.message.DeliveryPolicy;
import io.agroal.api.AgroalDataSource;

/**
 * A project's delivery policy: frequency caps per channel, quiet hours (in each user's timezone)
 * and click tracking. The whole document is replaced by PUT; {@code {}} switches everything off.
 * Messages of a step marked {@code transactional} are neither capped nor held.
 */
@Path("/v1/projects/{projectId}/delivery-settings")
public class DeliverySettingsResource {
    private static final Set<String> FIELDS = Set.of("frequencyCaps", "quietHours", "clickTracking");

    @Inject
    AgroalDataSource db;
    @Inject
    ObjectMapper json;

    @GET
    public JsonNode get(@PathParam("projectId") String projectId) throws JsonProcessingException {
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(
                "SELECT settings::text FROM delivery_settings WHERE project_id = ?")) {
            st.setString(1, projectId);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? json.readTree(rs.getString(1)) : json.createObjectNode();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("delivery settings could not be read: " + e.getMessage(), e);
        }
    }

    @PUT
    public JsonNode put(@PathParam("projectId") String projectId, JsonNode body) throws JsonProcessingException {
        ObjectNode settings = validate(body);
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(
                "INSERT INTO delivery_settings (project_id, settings) VALUES (?, ?::jsonb)"
                        + " ON CONFLICT (project_id) DO UPDATE SET settings = excluded.settings, updated_at = now()")) {
            st.setString(1, projectId);
            st.setString(2, json.writeValueAsString(settings));
            st.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("delivery settings could not be written: " + e.getMessage(), e);
        }
        return settings;
    }

    private ObjectNode validate(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("delivery settings must be a JSON object", List.of(new ApiError.Detail("", "expected an object")));
        }
        List<ApiError.Detail> problems = new ArrayList<>();
        body.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) {
                problems.add(new ApiError.Detail(name, "unknown setting; expected one of " + FIELDS));
            }
        });
        ObjectNode out = json.createObjectNode();
        JsonNode caps = body.get("frequencyCaps");
        if (caps != null && !caps.isNull()) {
            if (!caps.isArray()) {
                problems.add(new ApiError.Detail("frequencyCaps", "must be an array of {\"channel\", \"limit\", \"period\"}"));
            } else {
                ArrayNode list = out.putArray("frequencyCaps");
                for (int i = 0; i < caps.size(); i++) {
                    JsonNode cap = caps.get(i);
                    String path = "frequencyCaps[" + i + "]";
                    String channel = cap.path("channel").asText(null);
                    if (channel == null || !(channel.equals("all") || JourneyValidator.CHANNELS.contains(channel))) {
                        problems.add(new ApiError.Detail(path + ".channel", "must be \"all\" or one of " + JourneyValidator.CHANNELS));
                    }
                    JsonNode limit = cap.get("limit");
                    if (limit == null || !limit.isIntegralNumber() || limit.asInt() < 0) {
                        problems.add(new ApiError.Detail(path + ".limit", "must be a whole number, 0 or more"));
                    }
                    String period = cap.path("period").asText(null);
                    try {
                        if (Durations.parse(period).isNegative() || Durations.parse(period).isZero()) {
                            problems.add(new ApiError.Detail(path + ".period", "must be a positive duration, e.g. \"P1D\""));
                        }
                    } catch (IllegalArgumentException e) {
                        problems.add(new ApiError.Detail(path + ".period", e.getMessage()));
                    }
                    list.addObject().put("channel", channel).put("limit", limit == null ? 0 : limit.asInt()).put("period", period);
                }
            }
        }
        JsonNode quiet = body.get("quietHours");
        if (quiet != null && !quiet.isNull()) {
            if (!quiet.isObject()) {
                problems.add(new ApiError.Detail("quietHours", "must be {\"start\": \"21:00\", \"end\": \"08:00\"}"));
            } else {
                ObjectNode q = out.putObject("quietHours");
                for (String f : List.of("start", "end")) {
                    try {
                        q.put(f, LocalTime.parse(quiet.path(f).asText("")).toString());
                    } catch (DateTimeParseException e) {
                        problems.add(new ApiError.Detail("quietHours." + f, "must be a time of day such as \"21:00\""));
                    }
                }
                ArrayNode channels = q.putArray("channels");
                JsonNode given = quiet.get("channels");
                if (given == null || given.isNull()) {
                    DeliveryPolicy.DEFAULT_QUIET_CHANNELS.forEach(channels::add);
                } else if (!given.isArray()) {
                    problems.add(new ApiError.Detail("quietHours.channels", "must be an array of channel types"));
                } else {
                    for (int i = 0; i < given.size(); i++) {
                        if (!JourneyValidator.CHANNELS.contains(given.get(i).asText())) {
                            problems.add(new ApiError.Detail("quietHours.channels[" + i + "]", "must be one of " + JourneyValidator.CHANNELS));
                        }
                        channels.add(given.get(i).asText());
                    }
                }
            }
        }
        JsonNode click = body.get("clickTracking");
        if (click != null && !click.isNull()) {
            String base = click.path("baseUrl").asText(null);
            try {
                URI uri = URI.create(base == null ? "" : base);
                if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                    throw new IllegalArgumentException();
                }
                out.putObject("clickTracking").put("baseUrl", base);
            } catch (IllegalArgumentException e) {
                problems.add(new ApiError.Detail("clickTracking.baseUrl",
                        "must be the absolute http(s) URL this API is reached at, e.g. \"https://journeys.example.com\""));
            }
        }
        if (!problems.isEmpty()) {
            throw ApiException.badRequest("the delivery settings are not valid", problems);
        }
        return out;
    }
}
