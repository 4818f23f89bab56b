package io.tessera.command.axon;

import io.tessera.infra.pii.PiiVault;
import org.axonframework.config.Configurer;
import org.springframework.stereotype.Component;

/** Makes the vault a parameter Axon can pass to a command handler, as the creation of a {@code User} takes it. */
@Component
class PiiVaultForAggregates implements ConfigurerCustomizer {

    private final PiiVault vault;

    PiiVaultForAggregates(PiiVault vault) {
        this.vault = vault;
    }

    @Override
    public void customize(Configurer configurer) {
        configurer.registerComponent(PiiVault.class, c -> vault);
    }
}
