package org.lxj.dist.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;
import java.util.Optional;

import org.osgi.framework.launch.Framework;
import org.osgi.service.condition.Condition;

/**
 * The runtime as a daemon ({@code lxj --daemon}): no console; the framework property {@value #DAEMON_PROPERTY}
 * and, once every bundle is started, the OSGi condition {@value #READY_CONDITION} make the control bundle listen
 * on its socket ({@value #SOCKET_PROPERTY}, from the environment variable
 * {@value #SOCKET_ENV} when set) and run the command lines the native client forwards. The process writes its
 * pid file, runs until the framework stops (a {@code shutdown} request, or SIGTERM) and removes the file.
 * Containers keep running: their monitors are processes of their own.
 */
final class Daemon {
    static final String DAEMON_PROPERTY = "lxj.daemon";
    static final String SOCKET_PROPERTY = "lxj.control.socket";
    static final String SOCKET_ENV = "LXJ_CONTROL_SOCKET";
    /** The system property naming the pid file; {@code log/lxj-daemon.pid} by default. */
    static final String PID_FILE_PROPERTY = "lxj.pidfile";
    /** The {@code osgi.condition.id} of the condition registered once the daemon is fully started. */
    static final String READY_CONDITION = "lxj.daemon";

    private final LaunchConfig config;
    private final PrintStream err;

    Daemon(LaunchConfig config, PrintStream err) {
        this.config = config;
        this.err = err;
    }

    /** The framework properties that make a runtime the daemon. */
    static Map<String, String> properties(Map<String, String> env) {
        Map<String, String> props = new HashMap<>();
        props.put(DAEMON_PROPERTY, "true");
        String socket = env.get(SOCKET_ENV);
        if (socket != null && !socket.isBlank()) {
            props.put(SOCKET_PROPERTY, socket);
        }
        return props;
    }

    Path pidFile() {
        String configured = System.getProperty(PID_FILE_PROPERTY);
        return configured != null && !configured.isBlank() ? Path.of(configured)
                : config.home().resolve("log/lxj-daemon.pid");
    }

    int run(InputStream in, PrintStream out) throws LaunchException {
        Path pidFile = pidFile();
        Optional<Long> running = runningPid(pidFile);
        if (running.isPresent()) {
            throw new LaunchException("A daemon is already running (pid " + running.get() + ", \"" + pidFile + "\")");
        }
        FrameworkBoot boot = new FrameworkBoot(config, err);
        Thread stopper = new Thread(boot::stop, "lxj-daemon-stop");
        Runtime.getRuntime().addShutdownHook(stopper);      // SIGTERM: stop the bundles cleanly
        Framework fw = boot.start(false, properties(System.getenv()));
        new GogoRunner(fw.getBundleContext(), config.home().resolve("etc/gosh_profile"), in, out, err)
                .registerShellCommands();
        long pid = ProcessHandle.current().pid();
        writePid(pidFile, pid);
        // everything is up: the control socket may open now (its component waits for this condition)
        Hashtable<String, Object> ready = new Hashtable<>();
        ready.put(Condition.CONDITION_ID, READY_CONDITION);
        fw.getBundleContext().registerService(Condition.class, Condition.INSTANCE, ready);
        try {
            fw.waitForStop(0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            removePid(pidFile, pid);
        }
        return 0;
    }

    /** The pid in the file if that process is alive and a Java process (an LXJ runtime). */
    static Optional<Long> runningPid(Path pidFile) {
        try {
            long pid = Long.parseLong(Files.readString(pidFile, StandardCharsets.US_ASCII).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(true))
                    .map(ProcessHandle::pid);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private void writePid(Path pidFile, long pid) throws LaunchException {
        try {
            Files.createDirectories(pidFile.toAbsolutePath().getParent());
            Files.writeString(pidFile, pid + "\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new LaunchException("Failed to write the pid file \"" + pidFile + "\": " + e.getMessage(), e);
        }
    }

    private void removePid(Path pidFile, long pid) {
        try {
            if (Files.readString(pidFile, StandardCharsets.US_ASCII).trim().equals(Long.toString(pid))) {
                Files.delete(pidFile);
            }
        } catch (IOException e) {
            err.println("lxj: WARNING: Failed to remove the pid file \"" + pidFile + "\": " + e.getMessage());
        }
    }
}
