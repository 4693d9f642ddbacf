package dev.journey.api.paging;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import dev.journey.api.error.ApiError;
import dev.journey.api.error.ApiException;

/** Pages the arrays of {@link PagedList} endpoints when asked to; their order is the list's own. */
public class PagedLists {
    public static final String NEXT_CURSOR = "X-Next-Cursor";

    @ServerResponseFilter
    @PagedList
    public void page(ContainerRequestContext request, ContainerResponseContext response) {
        String limitParam = request.getUriInfo().getQueryParameters().getFirst("limit");
        String cursor = request.getUriInfo().getQueryParameters().getFirst("cursor");
        if ((limitParam == null && cursor == null) || response.getStatus() != 200 || !(response.getEntity() instanceof List<?> all)) {
            return;
        }
        int from;
        int limit;
        try {
            limit = Page.limit(limitParam);
            from = cursor == null ? 0 : offset(cursor);
        } catch (ApiException e) {
            response.setStatus(e.status());
            response.setEntity(e.toError(), null, MediaType.APPLICATION_JSON_TYPE);
            return;
        }
        int to = Math.min(all.size(), from + limit);
        response.setEntity(List.copyOf(all.subList(Math.min(from, all.size()), to)));
        if (to < all.size()) {
            String next = encode(to);
            response.getHeaders().putSingle(NEXT_CURSOR, next);
            response.getHeaders().putSingle("Link", "<" + request.getUriInfo().getRequestUriBuilder()
                    .replaceQueryParam("cursor", next).replaceQueryParam("limit", limit).build() + ">; rel=\"next\"");
        }
    }

    private static String encode(int offset) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("o:" + offset).getBytes(StandardCharsets.UTF_8));
    }

    private static int offset(String cursor) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int offset = raw.startsWith("o:") ? Integer.parseInt(raw.substring(2)) : -1;
            if (offset >= 0) {
                return offset;
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw ApiException.badRequest("invalid cursor", List.of(new ApiError.Detail("cursor", "pass X-Next-Cursor from the previous page unchanged")));
    }
}
