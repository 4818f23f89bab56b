package io.tessera.infra.health;

import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Replaces Boot's database check (which waits as long as the driver does) with {@link BoundedDatabaseHealth},
 * and adds {@link KafkaHealth} for the readiness group.
 */
@AutoConfiguration(
        beforeName = "org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration",
        afterName = {
            "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
            "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration"
        })
public class HealthAutoConfiguration {

    /** The bean name Boot's own database check steps aside for. */
    @Bean(name = "dbHealthIndicator")
    @ConditionalOnBean(DataSource.class)
    BoundedDatabaseHealth dbHealthIndicator(
            DataSource dataSource, @Value("${tessera.health.timeout:2s}") Duration bound) {
        return new BoundedDatabaseHealth(dataSource, bound);
    }

    /** Named {@code kafka} in the health report. */
    @Bean
    @ConditionalOnBean(KafkaAdmin.class)
    KafkaHealth kafkaHealthIndicator(
            KafkaAdmin kafkaAdmin,
            @Value("${tessera.health.timeout:2s}") Duration bound,
            @Value("${tessera.health.reuse-for:5s}") Duration reuseFor) {
        return new KafkaHealth(kafkaAdmin.getConfigurationProperties(), bound, reuseFor);
    }
}
