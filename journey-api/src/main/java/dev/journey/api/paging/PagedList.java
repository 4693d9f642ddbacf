package dev.journey.api.paging;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.ws.rs.NameBinding;

/**
 * A list answered as a JSON array (journeys, segments, templates, snippets, channels, event types):
 * whole by default — it is bounded by the project's quotas — and a page of it when the request
 * gives {@code limit} or {@code cursor}, with the next page's cursor in {@code X-Next-Cursor} and a
 * {@code Link: <…>; rel="next"} header ({@link PagedLists}).
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface PagedList {}
