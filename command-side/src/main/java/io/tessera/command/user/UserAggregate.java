package io.tessera.command.user;

import io.tessera.command.axon.EventSourcedAggregate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The {@link User} aggregate, registered with Axon by its feature. */
@Configuration(proxyBeanMethods = false)
class UserAggregate {

    @Bean
    EventSourcedAggregate userEventSourced() {
        return EventSourcedAggregate.of(User.class);
    }
}
