package io.tessera.command.axon;

import org.axonframework.config.Configurer;

/** A feature's contribution to the Axon configuration (the publisher registers its processor this way). */
@FunctionalInterface
public interface ConfigurerCustomizer {

    void customize(Configurer configurer);
}
