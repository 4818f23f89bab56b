package io.tessera.query.workflow;

import io.tessera.events.workflow.WorkflowConfigChanged;
import io.tessera.events.workflow.WorkflowCreated;
import io.tessera.events.workflow.WorkflowDeleted;
import io.tessera.events.workflow.WorkflowEvent;
import io.tessera.events.workflow.WorkflowRenamed;
import io.tessera.events.workflow.WorkflowStatusChanged;
import io.tessera.query.projection.StatsCounter;
import io.tessera.query.readtable.ReadTableProjection;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Keeps {@code workflows}: a workflow's name and JSON configuration beside the status every read table has. */
@Component
class WorkflowProjection extends ReadTableProjection {

    private static final Column NAME = Column.text("name");
    private static final Column CONFIG = Column.json("config");

    private final JsonMapper jsonMapper;

    WorkflowProjection(JdbcClient jdbc, JdbcTemplate batches, StatsCounter stats, JsonMapper jsonMapper) {
        super("workflows", StatsCounter.WORKFLOW, List.of(NAME, CONFIG), jdbc, batches, stats);
        this.jsonMapper = jsonMapper;
    }

    @Override
    protected RowChange changeOf(Object data) {
        if (!(data instanceof WorkflowEvent event)) {
            return null;
        }
        String id = event.workflowId();
        if (event instanceof WorkflowCreated created) {
            return new Created(id, created.status().jsonName(), created.name(), json(created.config()));
        } else if (event instanceof WorkflowStatusChanged changed) {
            return new StatusChanged(id, changed.to().jsonName());
        } else if (event instanceof WorkflowRenamed renamed) {
            return new Changed(id, NAME, renamed.name());
        } else if (event instanceof WorkflowConfigChanged changed) {
            return new Changed(id, CONFIG, json(changed.config()));
        } else if (event instanceof WorkflowDeleted) {
            return new Deleted(id);
        }
        return null;
    }

    private String json(Map<String, Object> config) {
        return jsonMapper.writeValueAsString(config == null ? Map.of() : config);
    }
}
