package dev.journey.api.template;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** 422 for templates and snippets that do not parse (see {@link InvalidTemplateException}). */
public class InvalidTemplateMapper {
    @ServerExceptionMapper
    public Response invalid(InvalidTemplateException e) {
        return Response.status(422).type(MediaType.APPLICATION_JSON_TYPE).entity(e.body()).build();
    }
}
