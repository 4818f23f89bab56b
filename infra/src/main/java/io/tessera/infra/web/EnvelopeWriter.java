package io.tessera.infra.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.http.MediaType;
import tools.jackson.databind.json.JsonMapper;

/** Writes a failure envelope where no controller runs: in security and tenancy filters. */
public class EnvelopeWriter {

    private final JsonMapper jsonMapper;

    public EnvelopeWriter(JsonMapper jsonMapper) {
        this.jsonMapper = jsonMapper;
    }

    public void writeFailure(HttpServletResponse response, ErrorCode code, String message, String tenantId)
            throws IOException {
        response.setStatus(code.status().value());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        // Written, not flushed or closed: the answer stays open for the rate limit's headers until the request ends.
        response.getOutputStream()
                .write(jsonMapper.writeValueAsBytes(ApiResponse.failure(code, message, List.of(), tenantId)));
    }
}
