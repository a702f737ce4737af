package org.lxj.core.internal.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.lxj.api.config.ContainerConfig;
import org.lxj.spi.launch.Namespace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A container's own log, as LXC keeps it: {@code lxc.log.file} at {@code lxc.log.level} (default ERROR), which
 * {@code lxc-start}/{@code lxc-execute -o FILE -l LEVEL} set for one run. The runtime appends the container's
 * lifecycle lines (initialized, namespaces cloned, set up, started, failed, stopped) in LXC's line format:
 * <pre>lxc-start NAME 20261129044500.123 INFO     start - ContainerStarter.java:run:215 - Container "NAME" is initialized</pre>
 * (program, container, UTC time to the millisecond, level padded to 8, category, the Java source in place of
 * LXC's C source, message). The file, level and program are kept in the run directory ({@value #RUN_FILE}) so that
 * the cleanup after the exit, possibly in another runtime process, writes to the same log. Failing to write the
 * log never fails a start: it is reported once in the runtime's own log.
 */
public final class ContainerLog {
    /** In the run directory: program, level index and file, one per line. */
    static final String RUN_FILE = "container.log";
    static final List<String> LEVELS = List.of("TRACE", "DEBUG", "INFO", "NOTICE", "WARN", "ERROR", "CRIT", "ALERT",
            "FATAL");
    static final int TRACE = 0;
    static final int DEBUG = 1;
    static final int INFO = 2;
    static final int NOTICE = 3;
    static final int WARN = 4;
    static final int ERROR = 5;
    /** LXC's default when {@code lxc.log.level} is not set. */
    static final int DEFAULT_LEVEL = ERROR;

    private static final Logger LOG = LoggerFactory.getLogger(ContainerLog.class);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss.SSS", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final ContainerLog NONE = new ContainerLog("", "", null, LEVELS.size(), Clock.systemUTC());

    private final String program;
    private final String name;
    private final Path file;
    private final int level;
    private final Clock clock;
    private boolean failed;

    ContainerLog(String program, String name, Path file, int level, Clock clock) {
        this.program = program;
        this.name = name;
        this.file = file;
        this.level = level;
        this.clock = clock;
    }

    /** No log: every line is dropped. */
    static ContainerLog none() {
        return NONE;
    }

    /**
     * The log {@code config} asks for ({@code lxc.log.file}, {@code lxc.log.level}); {@link #none()} without a file.
     *
     * @param program the command that runs the container, {@code lxc-start} or {@code lxc-execute}
     */
    public static ContainerLog of(String program, String name, ContainerConfig config) {
        Optional<Path> file = config.value("lxc.log.file").map(String::trim).filter(s -> !s.isEmpty()).map(Path::of);
        if (file.isEmpty()) {
            return NONE;
        }
        int level = config.value("lxc.log.level").map(String::trim).filter(s -> !s.isEmpty())
                .flatMap(ContainerLog::levelIndex).orElse(DEFAULT_LEVEL);
        return new ContainerLog(program, name, file.get(), level, Clock.systemUTC());
    }

    /** A level as {@code lxc.log.level} and {@code -l} take it: 0..8 or a name (WARNING for WARN). */
    static Optional<Integer> levelIndex(String value) {
        if (value.chars().allMatch(Character::isDigit) && value.length() <= 2) {
            int n = Integer.parseInt(value);
            return n < LEVELS.size() ? Optional.of(n) : Optional.empty();
        }
        String upper = value.toUpperCase(Locale.ROOT);
        int i = LEVELS.indexOf(upper.equals("WARNING") ? "WARN" : upper);
        return i < 0 ? Optional.empty() : Optional.of(i);
    }

    boolean enabled() {
        return file != null;
    }

    /** Keeps this log's settings in {@code runDir} for the cleanup after the exit. */
    void save(Path runDir) {
        if (file == null) {
            return;
        }
        try {
            Files.writeString(runDir.resolve(RUN_FILE), program + "\n" + level + "\n" + file + "\n",
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOG.warn("{}: failed to record its log settings in \"{}\": {}", name, runDir, e.getMessage());
        }
    }

    /** The log a start saved in {@code runDir}; {@link #none()} when it saved none. */
    static ContainerLog load(Path runDir, String name) {
        try {
            List<String> lines = Files.readAllLines(runDir.resolve(RUN_FILE), StandardCharsets.UTF_8);
            if (lines.size() < 3) {
                return NONE;
            }
            return new ContainerLog(lines.get(0), name, Path.of(lines.get(2)), Integer.parseInt(lines.get(1)),
                    Clock.systemUTC());
        } catch (NoSuchFileException e) {
            return NONE;
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: unreadable log settings in \"{}\": {}", name, runDir, e.toString());
            return NONE;
        }
    }

    void info(String category, String message) {
        log(INFO, category, message);
    }

    void notice(String category, String message) {
        log(NOTICE, category, message);
    }

    void error(String category, String message) {
        log(ERROR, category, message);
    }

    /** One INFO line per namespace cloned, as LXC logs them. */
    void cloned(Iterable<Namespace> namespaces) {
        if (!enabled() || INFO < level) {
            return;
        }
        for (Namespace ns : namespaces) {
            log(INFO, "start", "Cloned " + cloneFlag(ns));
        }
    }

    static String cloneFlag(Namespace ns) {
        // LXC names them by their clone flag; only the mount namespace's flag is not CLONE_NEW<name>
        return ns == Namespace.MOUNT ? "CLONE_NEWNS" : "CLONE_NEW" + ns.name();
    }

    synchronized void log(int lineLevel, String category, String message) {
        if (file == null || lineLevel < level) {
            return;
        }
        String line = format(lineLevel, category, source(), message);
        try {
            boolean created = !Files.exists(file);
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            if (created) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw----"));
            }
        } catch (IOException | UnsupportedOperationException e) {
            if (!failed) {
                failed = true;
                LOG.warn("{}: failed to write its log \"{}\": {}", name, file, e.toString());
            }
        }
    }

    /** One line in LXC's format. */
    String format(int lineLevel, String category, String source, String message) {
        return program + " " + name + " " + TIME.format(clock.instant()) + " "
                + String.format(Locale.ROOT, "%-8s", LEVELS.get(lineLevel)) + " " + category + " - " + source
                + " - " + message + "\n";
    }

    /** {@code File.java:method:line} of the runtime code that logs, in place of LXC's C source position. */
    private static String source() {
        return StackWalker.getInstance().walk(s -> s.filter(f -> !f.getClassName().equals(ContainerLog.class.getName()))
                .findFirst().map(f -> f.getFileName() + ":" + f.getMethodName() + ":" + f.getLineNumber())
                .orElse("?"));
    }
}
