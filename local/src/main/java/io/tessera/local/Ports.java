package io.tessera.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.function.Consumer;

/** Which TCP ports the local run may listen on. */
final class Ports {

    private Ports() {}

    /** {@code preferred} where it is free (0 stays 0: the server picks one), else another free port, said aloud. */
    static int preferredOrFree(int preferred, String server, Consumer<String> notices) {
        if (preferred == 0 || isFree(preferred)) {
            return preferred;
        }
        int chosen = anyFree();
        notices.accept("Port " + preferred + " is taken; " + server + " listens on " + chosen + " instead.");
        return chosen;
    }

    static void requireFree(int port, String server, String variable) {
        if (port != 0 && !isFree(port)) {
            throw new IllegalStateException("Port " + port + " for the " + server
                    + " is in use: stop what listens there, or set " + variable + " to another port.");
        }
    }

    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    static int anyFree() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free TCP port", e);
        }
    }
}
