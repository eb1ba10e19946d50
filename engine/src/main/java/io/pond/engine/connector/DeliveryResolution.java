package io.pond.engine.connector;

import io.pond.engine.audit.AuditLog;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.runtime.Job;

/**
 * An operator settles a delivery whose fate was unknown: after checking with WeCom (or the customer) they say it
 * went out, and the journey moves on without calling again, or that it did not, and the step calls again. Either
 * way the step's failed job is retried at once, and the decision is audited.
 */
public class DeliveryResolution {

    private final Deliveries deliveries;
    private final ManagementService managementService;
    private final AuditLog auditLog;

    public DeliveryResolution(Deliveries deliveries, ManagementService managementService, AuditLog auditLog) {
        this.deliveries = deliveries;
        this.managementService = managementService;
        this.auditLog = auditLog;
    }

    /** @return false when the delivery was not ambiguous (any more): someone settled it already */
    public boolean resolve(String key, Deliveries.Resolution resolution, String actor) {
        Deliveries.Delivery delivery = deliveries.find(key).orElseThrow(() -> new IllegalArgumentException("No delivery " + key));
        if (!deliveries.resolve(key, resolution, actor)) {
            return false;
        }
        auditLog.record(actor, "DELIVERY_RESOLVED", delivery.connector() + " " + key + " " + resolution);
        for (Job job : managementService.createJobQuery().processInstanceId(delivery.processInstanceId())
                .activityId(delivery.activityId()).list()) {
            managementService.setJobRetries(job.getId(), 1);
        }
        return true;
    }
}
