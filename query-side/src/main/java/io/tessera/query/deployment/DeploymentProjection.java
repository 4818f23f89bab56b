package io.tessera.query.deployment;

import io.tessera.events.deployment.DeploymentCreated;
import io.tessera.events.deployment.DeploymentDeleted;
import io.tessera.events.deployment.DeploymentEvent;
import io.tessera.events.deployment.DeploymentStatusChanged;
import io.tessera.events.deployment.DeploymentUrlChanged;
import io.tessera.query.projection.StatsCounter;
import io.tessera.query.readtable.ReadTableProjection;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Keeps {@code deployments}: a deployment's project name and URL beside the status every read table has. */
@Component
class DeploymentProjection extends ReadTableProjection {

    private static final Column PROJECT_NAME = Column.text("project_name");
    private static final Column URL = Column.text("url");

    DeploymentProjection(JdbcClient jdbc, JdbcTemplate batches, StatsCounter stats) {
        super("deployments", StatsCounter.DEPLOYMENT, List.of(PROJECT_NAME, URL), jdbc, batches, stats);
    }

    @Override
    protected RowChange changeOf(Object data) {
        if (!(data instanceof DeploymentEvent event)) {
            return null;
        }
        String id = event.deploymentId();
        if (event instanceof DeploymentCreated created) {
            return new Created(id, created.status().jsonName(), created.projectName(), created.url());
        } else if (event instanceof DeploymentStatusChanged changed) {
            return new StatusChanged(id, changed.to().jsonName());
        } else if (event instanceof DeploymentUrlChanged changed) {
            return new Changed(id, URL, changed.url());
        } else if (event instanceof DeploymentDeleted) {
            return new Deleted(id);
        }
        return null;
    }
}
