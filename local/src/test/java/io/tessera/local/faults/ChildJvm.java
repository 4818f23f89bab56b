package io.tessera.local.faults;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One side of Tessera as a child JVM on the test's own classpath, so that it can be SIGKILLed
 * ({@link #kill()}) or SIGTERMed ({@link #terminate()}) alone and started again on the same port. Every child
 * still running when the test JVM exits is killed by a shutdown hook.
 */
final class ChildJvm implements AutoCloseable {

    private static final Set<ChildJvm> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(ChildJvm::kill), "fault-children-kill"));
    }

    private final String name;
    private final String mainClass;
    private final List<String> arguments;
    private final int port;
    private final Path logDirectory;
    private int starts;
    private Process process;
    private Path log;

    ChildJvm(String name, String mainClass, int port, List<String> arguments, Path logDirectory) {
        this.name = name;
        this.mainClass = mainClass;
        this.port = port;
        this.arguments = List.copyOf(arguments);
        this.logDirectory = logDirectory;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Starts the JVM and waits until its health endpoint answers 200. */
    ChildJvm start(Duration atMost) {
        launch();
        awaitHealthy(atMost);
        return this;
    }

    /** Starts the JVM without waiting for it (several at once); {@link #awaitHealthy} waits. */
    synchronized ChildJvm launch() {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx384m");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.add("--server.port=" + port);
        command.addAll(arguments);
        try {
            Files.createDirectories(logDirectory);
            log = logDirectory.resolve(name + "-" + ++starts + ".log");
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            RUNNING.add(this);
            System.out.println("[faults] started " + name + " (pid " + process.pid() + ", log " + log + ")");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + name, e);
        }
        return this;
    }

    /** The output of the latest start. */
    Path log() {
        return log;
    }

    void awaitHealthy(Duration atMost) {
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
        await(name + " healthy")
                .atMost(atMost)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> healthy(http));
    }

    private boolean healthy(HttpClient http) throws InterruptedException {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited with " + process.exitValue() + " while starting");
        }
        try {
            HttpResponse<String> health = http.send(
                    HttpRequest.newBuilder(URI.create(url() + "/actuator/health"))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return health.statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        }
    }

    /** SIGKILL: no shutdown hook, no graceful anything. */
    synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(30));
        RUNNING.remove(this);
        System.out.println("[faults] killed " + name + " (SIGKILL)");
    }

    /** SIGTERM: Spring's graceful shutdown runs; returns the exit code. */
    synchronized int terminate(Duration atMost) {
        process.destroy();
        if (!waitFor(atMost)) {
            process.destroyForcibly();
            waitFor(Duration.ofSeconds(30));
            RUNNING.remove(this);
            throw new IllegalStateException(name + " did not stop within " + atMost + " of SIGTERM");
        }
        RUNNING.remove(this);
        System.out.println("[faults] " + name + " stopped after SIGTERM, exit " + process.exitValue());
        return process.exitValue();
    }

    /** {@code kill -STOP}: frozen mid-whatever (no heartbeat, no commit, sockets open); {@link #thaw()} goes on. */
    synchronized void freeze() {
        signal(process, "STOP");
        System.out.println("[faults] froze " + name + " (kill -STOP)");
    }

    synchronized void thaw() {
        signal(process, "CONT");
        System.out.println("[faults] thawed " + name + " (kill -CONT)");
    }

    /** {@code kill -<signal> <pid>}. */
    static void signal(Process process, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid()))
                    .inheritIO()
                    .start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    private boolean waitFor(Duration atMost) {
        try {
            return process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        kill();
    }
}
