package io.tessera.command.axon;

import org.axonframework.config.Configuration;
import org.springframework.context.SmartLifecycle;

/** Starts Axon before the intakes open (web server, Kafka listeners) and stops it after they closed. */
final class AxonLifecycle implements SmartLifecycle {

    static final int PHASE = Integer.MIN_VALUE + 1000;

    private final Configuration configuration;
    private volatile boolean running;

    AxonLifecycle(Configuration configuration) {
        this.configuration = configuration;
    }

    @Override
    public void start() {
        configuration.start();
        running = true;
    }

    @Override
    public void stop() {
        configuration.shutdown();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
