package dev.journey.api.error;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.ws.rs.NameBinding;

/**
 * Marks the resources whose JSON bodies are stored or looked up in PostgreSQL, where no string may hold a NUL
 * character: {@link NoNulBody} refuses such a body with a 400 naming the path. (A template preview renders
 * what it is given and stores nothing, so it is not marked.)
 */
@NameBinding
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
public @interface NoNul {}
