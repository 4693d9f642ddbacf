package dev.journey.api.access;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An endpoint under {@code /v1/projects/{projectId}} that needs a key of that project. One of the three
 * access declarations ({@link AccessRule}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface ProjectKey {
    /** The least scope that may call: {@code PUBLISHABLE} lets publishable keys in too, secret keys always may. */
    KeyScope scope() default KeyScope.SECRET;

    /** Whether the admin token may call it as well (managing a project's keys, so a lost key can be replaced). */
    boolean orAdmin() default false;

    /**
     * Whether a <em>publishable</em> key may come as the {@code key} query parameter instead of the Authorization
     * header: {@code navigator.sendBeacon}, which the Web SDK uses when a page is hidden, cannot set headers. A
     * secret key there is refused (it would end up in URLs and logs); it is accepted only in the header.
     */
    boolean keyInQuery() default false;
}
