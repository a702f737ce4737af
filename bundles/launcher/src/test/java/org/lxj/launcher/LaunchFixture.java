package org.lxj.launcher;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

import com.sun.jna.LastErrorException;

import org.lxj.launcher.internal.NativeLauncher;
import org.lxj.spi.launch.ConsoleSpec;
import org.lxj.spi.launch.Namespace;

/**
 * The shared set-up of the launcher's root tests: a work directory holding a busybox rootfs with the applets a test
 * names, the launcher, and every launch, attached process and descriptor a test made. {@link #close} tolerates
 * everything already gone: each step on its own, errors collected and reported at the end.
 */
final class LaunchFixture implements AutoCloseable {

    /** One teardown step. */
    interface Step {
        void run() throws Exception;
    }

    /** The namespaces of the tests' containers. */
    static final Set<Namespace> NAMESPACES = EnumSet.of(Namespace.MOUNT, Namespace.PID, Namespace.UTS,
            Namespace.IPC, Namespace.NET);
    /** The containers' console: the launcher's stdio. */
    static final ConsoleSpec INHERIT = new ConsoleSpec(ConsoleSpec.Console.INHERIT, 0, "", 0, Optional.empty(),
            0, 0, 0);
    private static final Path BUSYBOX = Path.of("/bin/busybox");

    final Path work;
    final Path rootfs;
    final NativeLauncher launcher = new NativeLauncher();
    final List<PreparedLaunch> launches = new ArrayList<>();
    final List<AttachedProcess> attached = new ArrayList<>();
    final List<Integer> fds = new ArrayList<>();
    private final Duration timeout;
    private final IntConsumer closeFd;

    private LaunchFixture(Path work, Duration timeout, IntConsumer closeFd) {
        this.work = work;
        this.rootfs = work.resolve("rootfs");
        this.timeout = timeout;
        this.closeFd = closeFd;
    }

    /**
     * Skips the test unless it runs as root with a static busybox, then makes {@code /tmp/<prefix>*}
     * (world-traversable, so a user-namespaced root reaches its rootfs) with {@code rootfs/} holding {@code dirs} and
     * the applet links.
     *
     * @param whyRoot what the test does that needs root
     * @param timeout how long {@link #awaitGone} waits
     * @param closeFd how the test closes the descriptors it {@link #track}s
     */
    static LaunchFixture busybox(String whyRoot, String prefix, Duration timeout, IntConsumer closeFd,
            List<String> dirs, String... applets) throws IOException {
        assumeTrue(isRoot(), "needs root: " + whyRoot);
        assumeTrue(Files.isExecutable(BUSYBOX),
                "needs a static busybox at /bin/busybox (apt-get install busybox-static)");
        LaunchFixture f = new LaunchFixture(Files.createTempDirectory(prefix), timeout, closeFd);
        Files.setPosixFilePermissions(f.work, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (String d : dirs) {
            Files.createDirectories(f.rootfs.resolve(d));
        }
        Files.copy(BUSYBOX, f.rootfs.resolve("bin/busybox"));
        Files.setPosixFilePermissions(f.rootfs.resolve("bin/busybox"), PosixFilePermissions.fromString("rwxr-xr-x"));
        for (String applet : applets) {
            Files.createSymbolicLink(f.rootfs.resolve("bin").resolve(applet), Path.of("busybox"));
        }
        return f;
    }

    /** Records {@code fd} to be closed by {@link #close}. */
    int track(int fd) {
        fds.add(fd);
        return fd;
    }

    /** Waits until {@code pid} has exited, at most the fixture's timeout. */
    void awaitGone(int pid) {
        ProcessHandle.of(pid).ifPresent(p -> {
            try {
                p.onExit().get(timeout.toSeconds(), TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError("Process " + pid + " still runs after " + timeout.toSeconds() + " s", e);
            }
        });
    }

    /** Closes attached processes, kills and aborts launches, closes descriptors, unmounts and removes the work tree. */
    @Override
    public void close() {
        List<Throwable> errors = new ArrayList<>();
        for (AttachedProcess a : attached) {
            quietly(errors, a::close);
        }
        for (PreparedLaunch l : launches) {
            quietly(errors, () -> ProcessHandle.of(l.initPid()).ifPresent(ProcessHandle::destroyForcibly));
            quietly(errors, l::abort);
            quietly(errors, () -> awaitGone(l.monitorPid()));
        }
        for (int fd : fds) {
            quietly(errors, () -> closeFd.accept(fd));
        }
        quietly(errors, () -> {
            for (String mountPoint : mountsUnder(work)) {
                new ProcessBuilder("umount", "-l", mountPoint).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
            }
        });
        quietly(errors, () -> deleteSameDevice(work));
        quietly(errors, launcher::close);
        if (!errors.isEmpty()) {
            AssertionError e = new AssertionError("Teardown failed: " + errors.get(0));
            errors.forEach(e::addSuppressed);
            throw e;
        }
    }

    static void quietly(List<Throwable> errors, Step step) {
        try {
            step.run();
        } catch (NoSuchFileException | LastErrorException gone) {
            // already gone: nothing to clean up
        } catch (Exception | AssertionError e) {
            errors.add(e);
        }
    }

    static boolean isRoot() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("Uid:")).anyMatch(l -> l.split("\\s+")[1].equals("0"));
    }

    /** Mount points at or below {@code dir}, deepest first. */
    static List<String> mountsUnder(Path dir) throws IOException {
        List<String> points = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String point = line.split(" ")[4].replace("\\040", " ");
            if (point.startsWith(dir.toString() + "/") || point.equals(dir.toString())) {
                points.add(point);
            }
        }
        points.sort((a, b) -> b.length() - a.length());
        return points;
    }

    /** Removes the tree without following symlinks or descending into other filesystems. */
    static void deleteSameDevice(Path dir) throws IOException {
        Object dev = Files.getAttribute(dir, "unix:dev", LinkOption.NOFOLLOW_LINKS);
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                return dev.equals(Files.getAttribute(d, "unix:dev", LinkOption.NOFOLLOW_LINKS))
                        ? FileVisitResult.CONTINUE : FileVisitResult.SKIP_SUBTREE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(f);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path f, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                try {
                    Files.deleteIfExists(d);
                } catch (java.nio.file.DirectoryNotEmptyException mountedOver) {
                    // a foreign filesystem is still attached below: leave it rather than cross into it
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
