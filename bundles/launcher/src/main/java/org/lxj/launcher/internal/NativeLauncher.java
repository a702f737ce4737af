package org.lxj.launcher.internal;

import static org.lxj.launcher.Protocol.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.StringArray;
import com.sun.jna.ptr.IntByReference;

import org.lxj.launcher.AttachPlan;
import org.lxj.launcher.AttachedProcess;
import org.lxj.launcher.LaunchException;
import org.lxj.launcher.LaunchOptions;
import org.lxj.launcher.LaunchStdio;
import org.lxj.launcher.Launcher;
import org.lxj.launcher.PreparedLaunch;
import org.lxj.spi.launch.LaunchPlan;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spawns {@code lxj-launcher} with posix_spawn (fd 3 = the SOCK_SEQPACKET control socket, every other fd
 * above 2 closed, signals reset) and drives the handshake up to CREATED. No Java code runs in the child.
 * <p>
 * The runtime's component (the DS constructor) keeps one spare launcher: after each start, a launcher is spawned
 * in the background ({@code lxj-launcher spare}, stdio on /dev/null) that waits for the next start's plan, which
 * then comes with the container's stdio attached. None is spawned before the first start unless the runtime asks
 * for it ({@link #warmUp}, the daemon); a spare that died or was spawned from another launcher image is retired,
 * never used; deactivation retires it.
 */
@Component(service = Launcher.class)
public final class NativeLauncher implements Launcher {
    /** Where the binary is installed by default. */
    public static final Path DEFAULT_LIBEXEC = Path.of("/run/lxj/libexec");
    static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(NativeLauncher.class);

    private final BinaryInstaller installer;
    private final LibC libc;
    private SealedImage image; // guarded by this
    private Path imageSource;  // guarded by this: the installed binary the image was copied from
    private final boolean spares;
    private SpareLauncher spare;  // guarded by this: the waiting spare, or null
    private boolean spawning;     // guarded by this: a spare is being spawned
    private boolean closed;       // guarded by this: deactivated, no more spares
    private ExecutorService spareSpawner; // guarded by this: created with the first spare

    /** What a launcher is spawned from, and the identity a spare of it is keyed by. */
    private record Executable(Path path, Object key) {
    }

    /**
     * The DS constructor: the binary goes to {@link #DEFAULT_LIBEXEC}, and a spare launcher is kept from the
     * first start on, unless the system property {@value #SPARE_PROPERTY} is {@code false}.
     *
     * @param properties the component's properties (unused)
     */
    @Activate
    public NativeLauncher(Map<String, Object> properties) {
        this(DEFAULT_LIBEXEC, !"false".equals(System.getProperty(SPARE_PROPERTY)));
    }

    /** The system property that turns the spare launcher off ({@code -Dlxj.launcher.spare=false}). */
    public static final String SPARE_PROPERTY = "lxj.launcher.spare";

    /** Without spare launchers: each start spawns its own. The binary goes to {@link #DEFAULT_LIBEXEC}. */
    public NativeLauncher() {
        this(DEFAULT_LIBEXEC, false);
    }

    /** @param libexec where the launcher binary is installed; no spare launchers */
    public NativeLauncher(Path libexec) {
        this(libexec, false);
    }

    /**
     * @param libexec where the launcher binary is installed
     * @param spares  whether to keep a spare launcher from the first start on
     */
    public NativeLauncher(Path libexec, boolean spares) {
        this.installer = new BinaryInstaller(libexec);
        this.libc = LibC.INSTANCE;
        this.spares = spares;
    }

    /** Retires the spare launcher; closes the shared sealed image (running monitors keep their own reference). */
    @Deactivate
    public void close() {
        SpareLauncher s;
        ExecutorService spawner;
        synchronized (this) {
            closed = true;
            s = spare;
            spare = null;
            spawner = spareSpawner;
            spareSpawner = null;
            closeImage();
        }
        if (spawner != null) {
            spawner.shutdown();
        }
        if (s != null) {
            s.close();
        }
    }

    private void closeImage() {
        if (image != null) {
            image.close();
            image = null;
            imageSource = null;
        }
    }

    /**
     * What to spawn: the installed (re-verified) binary copied once into a sealed memfd that every launcher
     * of this runtime runs from; the binary itself when no memfd can be made (the launcher then seals a copy
     * of its own).
     */
    synchronized Path executable() throws IOException {
        return current().path();
    }

    private synchronized Executable current() throws IOException {
        Path binary = installer.install();
        if (image != null && binary.equals(imageSource)) {
            return new Executable(image.path(), image);
        }
        closeImage();
        try {
            image = SealedImage.create(libc, binary);
            imageSource = binary;
            return new Executable(image.path(), image);
        } catch (IOException e) {
            LOG.warn("Launchers run from \"{}\" and copy themselves: {}", binary, e.getMessage());
            return new Executable(binary, binary);
        }
    }

    /**
     * Waits until a spare launcher is ready (for tests and diagnostics).
     *
     * @param timeout how long to wait
     * @return its end of the control socket as {@code /proc/<pid>/fd/3} shows it, or empty when none is ready
     * @throws InterruptedException when interrupted while waiting
     */
    public synchronized Optional<String> awaitSpare(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (spare == null && spawning) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                break;
            }
            wait(left);
        }
        return Optional.ofNullable(spare).map(SpareLauncher::socket);
    }

    /** The spare, if it was spawned from this image and still waits; a dead or stale one is retired. */
    private SpareLauncher takeSpare(Object image) {
        SpareLauncher s;
        synchronized (this) {
            s = spare;
            spare = null;
        }
        if (s == null || s.usableFor(image)) {
            return s;
        }
        LOG.debug("Retiring a spare launcher that {}", s.image() == image ? "died" : "was spawned from another image");
        s.close();
        return null;
    }

    /** Spawns a spare in the background unless one waits or is being spawned. */
    /** The binary installed and its image sealed now, and with spares the first one spawned, in the background. */
    @Override
    public synchronized void warmUp() {
        if (spares) {
            replenish();                                  // the spawner installs and seals on its way
            return;
        }
        try {
            if (!closed) {
                current();
            }
        } catch (IOException e) {
            LOG.debug("The launcher binary is not ready ahead of the first start: {}", e.getMessage());
        }
    }

    private synchronized void replenish() {
        if (!spares || closed || spare != null || spawning) {
            return;
        }
        if (spareSpawner == null) {
            spareSpawner = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "lxj-spare-launcher");
                t.setDaemon(true);
                return t;
            });
        }
        spawning = true;
        spareSpawner.execute(() -> {
            LockSupport.parkNanos(SPARE_DELAY_NANOS);
            spawnSpare();
        });
    }

    /**
     * How long the next spare waits after the start that took the last one: its spawn then no longer competes for
     * the CPU with that start's container just released (an execute of {@code /bin/true} is over in about 2 ms).
     * {@code bench/ab.sh} of 5 ms against none: 0.11-0.18 ms less per execute.
     */
    static final long SPARE_DELAY_NANOS = 5_000_000L;

    private void spawnSpare() {
        SpareLauncher s = null;
        try {
            Executable exe;
            synchronized (this) {
                // after close() no image may be made again
                exe = closed ? null : current();
            }
            s = exe == null ? null : newSpare(exe);
        } catch (IOException | LastErrorException e) {
            LOG.debug("No spare launcher: {}", e.getMessage());
        }
        synchronized (this) {
            spawning = false;
            if (s != null && !closed && spare == null) {
                spare = s;
                s = null;
            }
            notifyAll();
        }
        if (s != null) {
            s.close();
        }
    }

    private SpareLauncher newSpare(Executable exe) throws IOException {
        int[] sv = new int[2];
        libc.socketpair(LibC.AF_UNIX, LibC.SOCK_SEQPACKET | LibC.SOCK_CLOEXEC, 0, sv);
        ControlSocket ctl = new ControlSocket(libc, sv[0]);
        try {
            String socket = Files.readSymbolicLink(Path.of("/proc/self/fd/" + sv[1])).toString();
            int pid = spawn(exe.path(), sv[1], LaunchStdio.NULL, SPARE);
            libc.close(sv[1]);
            sv[1] = -1;
            reap(pid);
            return new SpareLauncher(ctl, exe.key(), socket);
        } catch (IOException | RuntimeException e) {
            ctl.close();
            throw e;
        } finally {
            if (sv[1] >= 0) {
                libc.close(sv[1]);
            }
        }
    }

    /** Hands the plan and the stdio to a spare; false when it is gone (the start then spawns its own). */
    private boolean sendToSpare(SpareLauncher s, byte[] payload, LaunchStdio stdio) throws IOException {
        int[] fds = { stdio.in(), stdio.out(), stdio.err() };
        int nullFd = -1;
        try {
            for (int i = 0; i < 3; i++) {
                if (fds[i] < 0) {
                    if (nullFd < 0) {
                        nullFd = openNull();
                    }
                    fds[i] = nullFd;
                }
            }
            s.ctl().send(MSG_PLAN, payload, fds);
            return true;
        } catch (IOException e) {
            LOG.debug("The spare launcher is gone: {}", e.getMessage());
            s.close();
            return false;
        } finally {
            if (nullFd >= 0) {
                libc.close(nullFd);
            }
        }
    }

    /**
     * Installs (or re-verifies) the launcher binary.
     *
     * @return its path
     * @throws IOException when it cannot be installed or verified
     */
    public Path binary() throws IOException {
        return installer.install();
    }

    @Override
    public PreparedLaunch prepare(LaunchPlan plan, Path runDir, LaunchStdio stdio, LaunchOptions options)
            throws LaunchException {
        return prepare(plan, runDir, stdio, options, (monitor, init) -> false);
    }

    @Override
    public PreparedLaunch prepare(LaunchPlan plan, Path runDir, LaunchStdio stdio, LaunchOptions options,
            Cloned cloned) throws LaunchException {
        String name = options.name();
        byte[] payload = PlanEncoder.encode(plan, runDir, options);
        boolean createdRunDir = false;
        ControlSocket ctl = null;
        try {
            Executable exe = current();
            if (!Files.isDirectory(runDir, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(runDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                createdRunDir = true;
            }
            SpareLauncher s = takeSpare(exe.key());
            if (s != null && sendToSpare(s, payload, stdio)) {
                ctl = s.ctl();
            } else {
                int[] sv = new int[2];
                libc.socketpair(LibC.AF_UNIX, LibC.SOCK_SEQPACKET | LibC.SOCK_CLOEXEC, 0, sv);
                ctl = new ControlSocket(libc, sv[0]);
                int launcherPid;
                try {
                    launcherPid = spawn(exe.path(), sv[1], stdio, LAUNCH);
                } finally {
                    libc.close(sv[1]);
                }
                ctl.send(MSG_PLAN, payload);
                reap(launcherPid);
            }
            ControlSocket.Frame f = ctl.receive(HANDSHAKE_TIMEOUT);
            boolean startSent = false;
            if (f != null && f.type() == MSG_CLONED) {
                int[] pids = ControlSocket.pids(f.payload());
                if (cloned.cloned(pids[0], pids[1])) {    // while init carries out its steps
                    // the monitor reads it right after CREATED: init runs without a round trip through Java
                    try {
                        ctl.send(MSG_START, new byte[0]);
                        startSent = true;
                    } catch (IOException e) {
                        // the monitor is aborting (a step failed): its ERROR, which names the step, is read next
                        LOG.debug("{}: START not taken: {}", name, e.getMessage());
                    }
                }
                f = ctl.receive(HANDSHAKE_TIMEOUT);
            }
            if (f == null) {
                throw new LaunchException(STEP_MONITOR, 0, "The launcher for \"" + name + "\" exited without a reply");
            }
            if (f.type() == MSG_ERROR) {
                LaunchException e = ControlSocket.error(f.payload());
                ctl.awaitEof(HANDSHAKE_TIMEOUT);
                throw e;
            }
            if (f.type() != MSG_CREATED) {
                throw new LaunchException(STEP_MONITOR, 0, "Unexpected message " + f.type() + " from the launcher of \"" + name + "\"");
            }
            int[] pids = ControlSocket.pids(f.payload());
            LOG.debug("{}: init {} created under monitor {}", name, pids[1], pids[0]);
            // the next spare is spawned once this start is past STARTED (or aborted), off its busiest part
            NativePreparedLaunch prepared = new NativePreparedLaunch(name, ctl, runDir, pids[0], pids[1], createdRunDir,
                    startSent, this::replenish);
            ctl = null;
            return prepared;
        } catch (LaunchException e) {
            cleanup(ctl, runDir, createdRunDir);
            replenish();
            throw e;
        } catch (IOException | LastErrorException | IllegalArgumentException e) {
            cleanup(ctl, runDir, createdRunDir);
            replenish();
            int errno = e instanceof LastErrorException l ? l.getErrorCode() : 0;
            throw new LaunchException(STEP_MONITOR, errno, "Failed to launch \"" + name + "\": " + describe(e), e);
        } catch (RuntimeException | Error e) {
            // the caller's cloned() failed: the monitor sees the hang-up and kills init, as on an abort
            cleanup(ctl, runDir, createdRunDir);
            replenish();
            throw e;
        }
    }

    @Override
    public AttachedProcess attach(AttachPlan plan, LaunchStdio stdio) throws LaunchException {
        String name = "pid " + plan.initPid();
        byte[] payload = PlanEncoder.encode(plan, name);
        ControlSocket ctl = null;
        int launcherPid = -1;
        try {
            Path binary = executable();
            int[] sv = new int[2];
            libc.socketpair(LibC.AF_UNIX, LibC.SOCK_SEQPACKET | LibC.SOCK_CLOEXEC, 0, sv);
            ctl = new ControlSocket(libc, sv[0]);
            try {
                launcherPid = spawn(binary, sv[1], stdio, ATTACH);
            } finally {
                libc.close(sv[1]);
            }
            ctl.send(MSG_ATTACH, payload);
            ControlSocket.Frame f = awaitAttached(ctl, plan, name);
            if (f == null) {
                throw new LaunchException(STEP_ATTACH, 0, "The launcher attaching to " + name + " exited without a reply");
            }
            if (f.type() == MSG_ERROR) {
                throw ControlSocket.error(f.payload());
            }
            if (f.type() != MSG_ATTACHED) {
                throw new LaunchException(STEP_ATTACH, 0, "Unexpected message " + f.type() + " from the launcher attaching to " + name);
            }
            int[] pids = ControlSocket.pids(f.payload());
            LOG.debug("attached {} to {} through launcher {}", pids[1], name, launcherPid);
            NativeAttachedProcess p = new NativeAttachedProcess(libc, ctl, launcherPid, pids[1]);
            ctl = null;
            launcherPid = -1;
            return p;
        } catch (IOException | LastErrorException | IllegalArgumentException e) {
            int errno = e instanceof LastErrorException l ? l.getErrorCode() : 0;
            throw new LaunchException(STEP_ATTACH, errno, "Failed to attach to " + name + ": " + describe(e), e);
        } finally {
            if (ctl != null) {
                ctl.close();
            }
            if (launcherPid > 0) {
                NativeAttachedProcess.reap(libc, launcherPid);
            }
        }
    }

    private static String describe(Exception e) {
        if (e instanceof LastErrorException l) {
            return Errno.name(l.getErrorCode());
        }
        return e.getMessage();
    }

    static void cleanup(ControlSocket ctl, Path runDir, boolean createdRunDir) {
        if (ctl != null) {
            ctl.shutdownOutput();
            try {
                ctl.awaitEof(HANDSHAKE_TIMEOUT);
            } catch (IOException e) {
                LOG.warn("Launcher did not finish its cleanup: {}", e.getMessage());
            }
            ctl.close();
        }
        if (createdRunDir) {
            try (var files = Files.list(runDir)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(p);
                }
                Files.deleteIfExists(runDir);
            } catch (IOException e) {
                LOG.warn("Failed to remove the run directory \"{}\": {}", runDir, e.getMessage());
            }
        }
    }

    /**
     * The attach launcher's reply. A launcher that joined a frozen payload cgroup is frozen with the container
     * until it is thawed, and lxc-attach waits as long: the bounded wait restarts while a cgroup is frozen.
     */
    private static ControlSocket.Frame awaitAttached(ControlSocket ctl, AttachPlan plan, String name)
            throws IOException {
        while (true) {
            try {
                return ctl.receive(HANDSHAKE_TIMEOUT);
            } catch (ControlSocket.TimeoutException e) {
                if (plan.cgroups().stream().noneMatch(NativeLauncher::frozen)) {
                    throw e;
                }
                LOG.info("{} is frozen: the attach waits until it is thawed", name);
            }
        }
    }

    /** Whether a cgroup directory is frozen (v1 {@code freezer.state}, v2 {@code cgroup.events}). */
    static boolean frozen(Path dir) {
        try {
            Path v1 = dir.resolve("freezer.state");
            if (Files.exists(v1)) {
                return !Files.readString(v1).trim().equals("THAWED");
            }
            Path v2 = dir.resolve("cgroup.events");
            return Files.exists(v2) && Files.readAllLines(v2).contains("frozen 1");
        } catch (IOException e) {
            return false;
        }
    }

    private static final String[] LAUNCH = { "lxj-launcher" };
    private static final String[] ATTACH = { "lxj-launcher", "attach" };
    private static final String[] SPARE = { "lxj-launcher", "spare" };

    private int spawn(Path binary, int childEnd, LaunchStdio stdio, String[] argv) throws IOException {
        try {
            return spawnChecked(binary, childEnd, stdio, argv);
        } catch (LastErrorException e) {
            throw new IOException("Failed to prepare the launcher's descriptors: " + Errno.name(e.getErrorCode()), e);
        }
    }

    private int spawnChecked(Path binary, int childEnd, LaunchStdio stdio, String[] argv) throws IOException {
        int[] fds = { stdio.in(), stdio.out(), stdio.err() };
        int nullFd = -1;
        int[] copies = { -1, -1, -1, -1 };
        Memory actions = new Memory(LibC.FILE_ACTIONS_SIZE);
        Memory attr = new Memory(LibC.SPAWNATTR_SIZE);
        Memory empty = new Memory(LibC.SIGSET_SIZE);
        Memory all = new Memory(LibC.SIGSET_SIZE);
        try {
            for (int i = 0; i < 3; i++) {
                if (fds[i] < 0) {
                    if (nullFd < 0) {
                        nullFd = openNull();
                    }
                    fds[i] = nullFd;
                }
            }
            check(libc.posix_spawn_file_actions_init(actions), "posix_spawn_file_actions_init");
            check(libc.posix_spawnattr_init(attr), "posix_spawnattr_init");
            try {
                // Fresh copies (all >= 10) of the sources: no dup2 onto 0-3 can clobber a later source.
                for (int i = 0; i < 3; i++) {
                    copies[i] = libc.fcntl(fds[i], LibC.F_DUPFD_CLOEXEC, 10);
                    check(libc.posix_spawn_file_actions_adddup2(actions, copies[i], i), "adddup2");
                }
                copies[3] = libc.fcntl(childEnd, LibC.F_DUPFD_CLOEXEC, 10);
                check(libc.posix_spawn_file_actions_adddup2(actions, copies[3], CONTROL_FD), "adddup2");
                check(libc.posix_spawn_file_actions_addclosefrom_np(actions, CONTROL_FD + 1), "addclosefrom_np");
                libc.sigemptyset(empty);
                libc.sigfillset(all);
                check(libc.posix_spawnattr_setsigmask(attr, empty), "setsigmask");
                check(libc.posix_spawnattr_setsigdefault(attr, all), "setsigdefault");
                check(libc.posix_spawnattr_setflags(attr, (short) (LibC.POSIX_SPAWN_SETSIGMASK | LibC.POSIX_SPAWN_SETSIGDEF)),
                        "setflags");
                IntByReference pid = new IntByReference();
                String path = binary.toString();
                check(libc.posix_spawn(pid, path, actions, attr, new StringArray(argv), new StringArray(new String[0])),
                        "posix_spawn \"" + path + "\"");
                return pid.getValue();
            } finally {
                libc.posix_spawn_file_actions_destroy(actions);
                libc.posix_spawnattr_destroy(attr);
            }
        } finally {
            if (nullFd >= 0) {
                libc.close(nullFd);
            }
            for (int fd : copies) {
                if (fd >= 0) {
                    libc.close(fd);
                }
            }
        }
    }

    private static final int CONTROL_FD = 3;

    private int openNull() throws IOException {
        try {
            return libc.open("/dev/null", LibC.O_RDWR | LibC.O_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw new IOException("Failed to open \"/dev/null\": " + Errno.name(e.getErrorCode()), e);
        }
    }

    private static void check(int rc, String what) throws IOException {
        if (rc != 0) {
            throw new IOException("Failed to " + what + ": " + Errno.name(rc));
        }
    }

    /** The spawned process forks the monitor and exits at once; reap it so no zombie stays. */
    private void reap(int pid) throws IOException {
        IntByReference status = new IntByReference();
        while (true) {
            try {
                libc.waitpid(pid, status, 0);
                return;
            } catch (LastErrorException e) {
                if (e.getErrorCode() != LibC.EINTR) {
                    throw new IOException("Failed to wait for the launcher " + pid + ": " + Errno.name(e.getErrorCode()), e);
                }
            }
        }
    }
}
