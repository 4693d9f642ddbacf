package dev.journey.api.user;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;

import dev.journey.api.error.ApiError;
import dev.journey.api.error.ApiException;
import dev.journey.api.event.SystemEvents;
import dev.journey.worker.Jdbc;
import io.agroal.api.AgroalDataSource;

/**
 * Registers a device (or updates it). The first registration of a device records
 * {@code @first_session} — exactly once per device, by an idempotency key — on the device, linked
 * to the user when known; it can start a welcome journey like any event.
 */
@Path("/v1/projects/{projectId}/devices")
public class DeviceResource {
    private static final Set<String> PLATFORMS = Set.of("ios", "android", "web");

    @Inject
    AgroalDataSource db;
    @Inject
    SystemEvents systemEvents;

    @POST
    public Response register(@PathParam("projectId") String projectId, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("a device must be a JSON object", List.of(new ApiError.Detail("", "expected {\"deviceId\", \"platform\", …}")));
        }
        List<ApiError.Detail> problems = new ArrayList<>();
        String deviceId = text(body, "deviceId", true, 256, problems);
        String userId = text(body, "userId", false, 256, problems);
        String platform = text(body, "platform", true, 16, problems);
        String pushToken = text(body, "pushToken", false, 4096, problems);
        String timezone = text(body, "timezone", false, 64, problems);
        if (platform != null && !PLATFORMS.contains(platform)) {
            problems.add(new ApiError.Detail("platform", "must be one of " + PLATFORMS));
        }
        if (timezone != null) {
            try {
                ZoneId.of(timezone);
            } catch (DateTimeException e) {
                problems.add(new ApiError.Detail("timezone", "not a timezone: use an IANA name such as \"Asia/Seoul\""));
            }
        }
        if (!problems.isEmpty()) {
            throw ApiException.badRequest("the device is not valid; nothing was stored", problems);
        }
        boolean first = upsert(projectId, deviceId, userId, platform, pushToken, timezone);
        if (first) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("platform", platform);
            data.put("userId", userId);
            systemEvents.record(projectId, "device", deviceId, "@first_session", data, "@first_session:" + deviceId);
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("deviceId", deviceId);
        view.put("userId", userId);
        view.put("platform", platform);
        view.put("timezone", timezone);
        view.put("firstSession", first);
        return Response.status(first ? 201 : 200).entity(view).build();
    }

    /** Inserts or updates; true when this call created the device. A known user is linked, an unknown one created. */
    private boolean upsert(String projectId, String deviceId, String userId, String platform, String pushToken, String timezone) {
        try {
            return Jdbc.inTransaction(db, c -> {
                boolean inserted;
                try (PreparedStatement st = c.prepareStatement("INSERT INTO device (project_id, device_id, user_id, platform,"
                        + " push_token, timezone) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (project_id, device_id) DO UPDATE SET"
                        + " user_id = coalesce(EXCLUDED.user_id, device.user_id), platform = EXCLUDED.platform,"
                        + " push_token = coalesce(EXCLUDED.push_token, device.push_token),"
                        + " token_status = CASE WHEN EXCLUDED.push_token IS DISTINCT FROM device.push_token AND EXCLUDED.push_token IS NOT NULL"
                        + "   THEN 'active' ELSE device.token_status END,"
                        + " timezone = coalesce(EXCLUDED.timezone, device.timezone), updated_at = now()"
                        + " RETURNING (xmax = 0)")) {
                    st.setString(1, projectId);
                    st.setString(2, deviceId);
                    st.setString(3, userId);
                    st.setString(4, platform);
                    st.setString(5, pushToken);
                    st.setString(6, timezone);
                    try (ResultSet rs = st.executeQuery()) {
                        rs.next();
                        inserted = rs.getBoolean(1);
                    }
                }
                if (userId != null) {
                    try (PreparedStatement st = c.prepareStatement("INSERT INTO app_user (project_id, user_id) VALUES (?, ?)"
                            + " ON CONFLICT DO NOTHING")) {
                        st.setString(1, projectId);
                        st.setString(2, userId);
                        st.executeUpdate();
                    }
                }
                return inserted;
            });
        } catch (SQLException e) {
            throw new IllegalStateException("device could not be stored: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode body, String field, boolean required, int max, List<ApiError.Detail> problems) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                problems.add(new ApiError.Detail(field, "is required"));
            }
            return null;
        }
        if (!node.isTextual() || node.asText().isEmpty() || node.asText().length() > max) {
            problems.add(new ApiError.Detail(field, "must be a string of 1 to " + max + " characters"));
            return null;
        }
        return node.asText();
    }
}
