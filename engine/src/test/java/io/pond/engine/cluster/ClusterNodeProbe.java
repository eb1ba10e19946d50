package io.pond.engine.cluster;

import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The node side of {@link TwoNodeTimersIT}, active in a Pond started with {@code pond.test.cluster.node}: the step after
 * each timer writes which instance it completed and on which node, in the job's own transaction (so a row exists
 * exactly when the engine committed the step).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty("pond.test.cluster.node")
class ClusterNodeProbe {

    @Bean
    JavaDelegate clusterProbe(JdbcTemplate jdbc, @Value("${pond.test.cluster.node}") String node) {
        return execution -> jdbc.update("insert into cluster_probe (process_instance_id, node) values (?, ?)",
                execution.getProcessInstanceId(), node);
    }
}
