package org.lxj.control.internal;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.felix.service.command.CommandProcessor;
import org.lxj.api.command.DirectCommand;
import org.lxj.linux.SyscallException;
import org.lxj.linux.Syscalls;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.service.component.propertytypes.SatisfyingConditionTarget;
import org.osgi.service.condition.Condition;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime daemon's control socket. Active only in a runtime started as the daemon (framework property
 * {@value #DAEMON_PROPERTY} = true), and only once the daemon launcher has registered the OSGi condition
 * {@value #READY_CONDITION} (the component's satisfying condition) (every bundle started, so a client never meets a half-started runtime); any other
 * runtime (the interactive shell, one-command mode) listens on nothing. The socket is {@value #DEFAULT_SOCKET} unless the framework property {@value #SOCKET_PROPERTY}
 * names another. Each connection runs on the thread that accepted it ({@link Acceptors}, {@link Connection}):
 * {@value #SPARE_ACCEPTORS} threads wait, so no thread starts on a client's path. When the socket cannot
 * be set up the daemon has no purpose: the error is logged and the framework stopped.
 */
@Component(immediate = true)
@SatisfyingConditionTarget("(" + Condition.CONDITION_ID + "=" + ControlServer.READY_CONDITION + ")")
public final class ControlServer {
    static final String DAEMON_PROPERTY = "lxj.daemon";
    static final String SOCKET_PROPERTY = "lxj.control.socket";
    static final String DEFAULT_SOCKET = "/run/lxj/control.sock";
    /** Registered by the distribution's daemon launcher once every bundle is started. */
    static final String READY_CONDITION = "lxj.daemon";
    private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);
    private static final long JOIN_MILLIS = TimeUnit.SECONDS.toMillis(10);
    /** How many threads wait in accept when no client is connected (two: a client's path never starts one). */
    static final int SPARE_ACCEPTORS = 2;

    private final BundleContext context;
    private final Syscalls sys;
    private final ControlSocket socket;
    private final SessionRunner runner;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final Acceptors acceptors;
    /** The threads that watch a client while its command runs (Connection), kept for the next request. */
    private final ExecutorService watchers = Executors.newCachedThreadPool(new ThreadFactory() {
        private final AtomicInteger n = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "lxj-control-watch-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    });
    /** The shell's commands that run without a Gogo session, by the name a client types. */
    private final Map<String, DirectCommand> direct = new ConcurrentHashMap<>();
    private volatile boolean closing;

    @Activate
    public ControlServer(BundleContext context, @Reference Syscalls sys, @Reference CommandProcessor processor) {
        this.context = context;
        this.sys = sys;
        String home = context.getProperty("gosh.home");
        this.runner = new SessionRunner(context, processor, home == null ? null : Path.of(home, "etc", "gosh_profile"),
                direct);
        if (!Boolean.parseBoolean(context.getProperty(DAEMON_PROPERTY))) {
            LOG.debug("Not a daemon: no control socket");
            socket = null;
            acceptors = null;
            return;
        }
        String configured = context.getProperty(SOCKET_PROPERTY);
        Path path = Path.of(configured == null || configured.isBlank() ? DEFAULT_SOCKET : configured);
        ControlSocket s;
        try {
            s = ControlSocket.listen(sys, path);
        } catch (ControlException | SyscallException e) {
            LOG.error("{}: stopping the runtime", e.getMessage());
            socket = null;
            acceptors = null;
            stopFramework();
            return;
        }
        socket = s;
        acceptors = new Acceptors(s, SPARE_ACCEPTORS, this::serve, "lxj-control-");
        acceptors.start();
        // the first forwarded command then finds a session with the profile sourced
        Thread warm = new Thread(() -> runner.prewarm(w -> LOG.warn("{}", w)), "lxj-control-prewarm");
        warm.setDaemon(true);
        warm.start();
        LOG.info("Listening on {}", path);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            target = "(" + DirectCommand.NAME_PROPERTY + "=*)")
    void bindDirect(DirectCommand command, Map<String, Object> properties) {
        String name = String.valueOf(properties.get(DirectCommand.NAME_PROPERTY));
        direct.put(name, command);
        LOG.debug("{} runs without a Gogo session", name);
    }

    void unbindDirect(DirectCommand command, Map<String, Object> properties) {
        direct.remove(String.valueOf(properties.get(DirectCommand.NAME_PROPERTY)), command);
    }

    /** Runs one connection on the thread that accepted it ({@link Acceptors}). */
    private void serve(int fd) {
        Connection c = new Connection(sys, fd, runner, this::stopFramework, watchers);
        connections.add(c);
        if (closing) {
            c.abort();                                    // the runtime stopped meanwhile: the client sees a hang-up
        }
        try {
            c.run();
        } finally {
            connections.remove(c);
        }
    }

    /** Stops the framework from a thread of its own: a component must not wait for its own deactivation. */
    private void stopFramework() {
        Thread t = new Thread(() -> {
            try {
                context.getBundle(0).stop();
            } catch (BundleException | IllegalStateException e) {
                LOG.error("Failed to stop the runtime: {}", e.getMessage());
            }
        }, "lxj-control-shutdown");
        t.start();
    }

    @Deactivate
    void deactivate() {
        if (socket == null) {
            return;
        }
        closing = true;
        acceptors.close(JOIN_MILLIS);                     // wakes every thread waiting in accept
        for (Connection c : connections) {
            c.abort();
        }
        watchers.shutdown();                              // idle ones end now, busy ones with their connection
        socket.close();
        runner.close();
        LOG.info("Closed {}", socket.path());
    }
}
