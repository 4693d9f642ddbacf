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
}
