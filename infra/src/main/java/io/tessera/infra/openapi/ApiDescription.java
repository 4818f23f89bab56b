package io.tessera.infra.openapi;

import java.util.List;

/**
 * What one side says of itself in its OpenAPI document: a title, a paragraph, and examples keyed by route.
 *
 * @param examples request and response bodies for some routes, as JSON text
 */
public record ApiDescription(String title, String description, List<RouteExample> examples) {

    /**
     * @param method the HTTP method, upper case
     * @param path the route's pattern as the document names it, e.g. {@code /api/deployments/{id}}
     * @param status the success status, when not 200 (a {@code ResponseEntity} hides it from springdoc)
     * @param request the request body, or null
     * @param response the success answer's body, or null
     */
    public record RouteExample(String method, String path, int status, String request, String response) {}
}
