package org.lxj.core.internal.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.lxj.api.ConfigException;
import org.lxj.api.config.ConfigEntry;
import org.lxj.api.config.ContainerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parses LXC container configuration files ({@code lxc.container.conf(5)}): {@code key = value} lines,
 * {@code #} comments, {@code lxc.include} of files and directories, empty values that clear, indexed
 * {@code lxc.net.N.*} keys, legacy key names, and a validator for every key of LXC's jump table
 * ({@link KeyTable}). Every error is a {@link ConfigException} naming file, line, key and value.
 *
 * <p>Deviations from LXC's parser ({@code src/lxc/confile.c}, {@code parse.c}), chosen on purpose:
 * <ul>
 * <li>Legacy (pre-3.0) keys such as {@code lxc.utsname}, {@code lxc.network.*}, {@code lxc.limit.*} are
 * accepted with a warning and translated, as {@code lxc-update-config} would (LXC 3+ rejects them);
 * {@code lxc.rootfs.backend}, {@code lxc.pivotdir} and {@code lxc.kmsg} are dropped with a warning.</li>
 * <li>Values are validated at parse time for every key; LXC checks some only at start (mount entries,
 * cgroup device rules, sysctl names) and accepts anything for others ({@code lxc.net.N.flags} takes only
 * {@code up} here; signal numbers must be 1..64; {@code lxc.cgroup.dir*} must be relative without
 * {@code ..}; {@code lxc.init.cwd} and log/console files must be absolute).</li>
 * <li>Capability names may carry a {@code CAP_} prefix in any case (LXC wants lower case without it).</li>
 * <li>{@code SIGRTMIN} and {@code SIGRTMAX} without an offset are accepted.</li>
 * <li>A relative {@code lxc.include} is resolved against the including file's directory (LXC uses the
 * working directory); a directory include reads its {@code *.conf} files sorted by name (LXC uses
 * directory order); include cycles are an error (LXC recurses until it fails).</li>
 * <li>{@code lxc.environment = NAME} (pass-through) is accepted even when NAME is not set in the parser's
 * environment; it is resolved at start.</li>
 * <li>A NUL byte in a line is an error (LXC silently truncates the value).</li>
 * <li>Keys starting with {@code lxj.} are reserved; none is defined yet, so each is unsupported.</li>
 * <li>Lines that do not start with {@code lxc.} are ignored with a warning (LXC ignores them silently).</li>
 * </ul>
 */
public final class ConfigParser {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigParser.class);
    private static final int MAX_INCLUDE_DEPTH = 32;

    /** Parses {@code file} with its includes; throws ConfigException with file:line on the first error. */
    public ContainerConfig parse(Path file) {
        Run run = new Run();
        run.parseFile(file, null, 0);
        return new ParsedConfig(Optional.of(file), run.entries);
    }

    /** Parses text as if read from {@code origin} (used in error messages and for relative includes). */
    public ContainerConfig parse(String text, Path origin) {
        Run run = new Run();
        run.parseText(text, origin);
        return new ParsedConfig(Optional.ofNullable(origin), run.entries);
    }

    /** The state of one parse: the effective entries so far and the include stack. */
    private static final class Run {
        final List<ConfigEntry> entries = new ArrayList<>();
        final Deque<Path> includes = new ArrayDeque<>();
        int legacyNic = -1;

        void parseFile(Path file, Path from, int fromLine) {
            Path real;
            String text;
            try {
                real = file.toRealPath();
                if (includes.contains(real)) {
                    String chain = Stream.concat(includes.stream(), Stream.of(real))
                            .map(Path::toString).collect(Collectors.joining(" -> "));
                    throw new ConfigException(from, fromLine, "lxc.include", file.toString(),
                            "Include cycle: " + chain);
                }
                if (includes.size() >= MAX_INCLUDE_DEPTH) {
                    throw new ConfigException(from, fromLine, "lxc.include", file.toString(),
                            "Includes nested deeper than " + MAX_INCLUDE_DEPTH + " levels");
                }
                text = new String(Files.readAllBytes(real), StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                throw new ConfigException(from == null ? file : from, fromLine, from == null ? null : "lxc.include",
                        file.toString(), "Failed to read config file \"" + file + "\": No such file or directory");
            } catch (IOException | SecurityException e) {
                throw new ConfigException(from == null ? file : from, fromLine, from == null ? null : "lxc.include",
                        file.toString(), "Failed to read config file \"" + file + "\": " + e.getMessage());
            }
            includes.addLast(real);
            try {
                parseText(text, file);
            } finally {
                includes.removeLast();
            }
        }

        void parseText(String text, Path file) {
            int lineNo = 0;
            int start = 0;
            while (start <= text.length()) {
                int nl = text.indexOf('\n', start);
                int end = nl < 0 ? text.length() : nl;
                lineNo++;
                parseLine(text.substring(start, end), file, lineNo);
                if (nl < 0) {
                    break;
                }
                start = nl + 1;
            }
        }

        void parseLine(String line, Path file, int lineNo) {
            LineSyntax.Split split = LineSyntax.split(line);
            switch (split.kind()) {
                case BLANK, COMMENT -> {
                    return;
                }
                case FOREIGN -> {
                    LOG.warn("{}:{}: Ignoring line without an \"lxc.\" key: {}", file, lineNo,
                            LineSyntax.strip(line));
                    return;
                }
                case MALFORMED -> throw new ConfigException(file, lineNo, null, LineSyntax.strip(line),
                        "Invalid configuration line \"" + LineSyntax.strip(line) + "\": expected \"key = value\"");
                default -> entry(split.key(), split.value(), file, lineNo);
            }
        }

        void entry(String written, String value, Path file, int lineNo) {
            if (written.indexOf('\0') >= 0 || value.indexOf('\0') >= 0) {
                throw new ConfigException(file, lineNo, written, value,
                        "Invalid NUL byte in line: expected text");
            }
            String key = canonical(written, value, file, lineNo);
            if (key == null) {
                return;
            }
            KeyTable.Resolved r = KeyTable.resolve(key).orElseThrow(() -> new ConfigException(file, lineNo, written,
                    value, "Unsupported config key \"" + written + "\": expected a key of lxc.container.conf(5)"));
            if (value.isEmpty()) {
                clear(r);
                return;
            }
            if (r.spec().shape() == KeySpec.Shape.ROOT) {
                throw new ConfigException(file, lineNo, key, value, "Key \"" + key
                        + "\" takes no value: an empty value clears it, set its subkeys instead");
            }
            try {
                r.spec().check().check(key, value);
            } catch (InvalidValueException e) {
                throw new ConfigException(file, lineNo, key, value, e.getMessage());
            }
            if (key.equals("lxc.include")) {
                include(value, file, lineNo);
                return;
            }
            checkCapExclusion(key, value, file, lineNo);
            entries.add(new ConfigEntry(key, value, file, lineNo, written));
        }

        /** The canonical key of a written key (legacy names translated), or null for a dropped legacy key. */
        String canonical(String written, String value, Path file, int lineNo) {
            if (LegacyKeys.DROPPED.contains(written)) {
                LOG.warn("{}:{}: Ignoring obsolete config key \"{}\"", file, lineNo, written);
                return null;
            }
            Optional<String> renamed = LegacyKeys.rename(written);
            if (renamed.isPresent()) {
                LOG.warn("{}:{}: Legacy config key \"{}\" read as \"{}\"", file, lineNo, written, renamed.get());
                return renamed.get();
            }
            Optional<LegacyKeys.NetworkKey> net = LegacyKeys.network(written);
            if (net.isEmpty()) {
                return written;
            }
            int index = net.get().index();
            String sub = net.get().sub();
            if (index < 0) {
                if (sub.equals("type")) {
                    legacyNic = nextNicIndex();
                } else if (legacyNic < 0) {
                    throw new ConfigException(file, lineNo, written, value, "Legacy key \"" + written
                            + "\" must follow a lxc.network.type line");
                }
                index = legacyNic;
            }
            String key = "lxc.net." + index + (sub.isEmpty() ? "" : "." + sub);
            LOG.warn("{}:{}: Legacy config key \"{}\" read as \"{}\"", file, lineNo, written, key);
            return key;
        }

        int nextNicIndex() {
            int max = -1;
            for (ConfigEntry e : entries) {
                max = Math.max(max, ParsedConfig.nicIndex(e.key()));
            }
            return max + 1;
        }

        void clear(KeyTable.Resolved r) {
            KeySpec spec = r.spec();
            String key = r.key();
            if (spec.shape() != KeySpec.Shape.ROOT) {
                entries.removeIf(e -> e.key().equals(key));
            } else if (key.startsWith(KeyTable.NET)) {
                entries.removeIf(e -> e.key().startsWith(key + "."));
            } else {
                entries.removeIf(e -> KeyTable.resolve(e.key()).map(x -> key.equals(x.spec().family()))
                        .orElse(false));
            }
        }

        void checkCapExclusion(String key, String value, Path file, int lineNo) {
            String other = key.equals("lxc.cap.keep") ? "lxc.cap.drop" : key.equals("lxc.cap.drop") ? "lxc.cap.keep"
                    : null;
            if (other != null && entries.stream().anyMatch(e -> e.key().equals(other))) {
                throw new ConfigException(file, lineNo, key, value,
                        "Keeping and dropping capabilities are mutually exclusive: clear " + other
                                + " with an empty value first");
            }
        }

        void include(String value, Path file, int lineNo) {
            Path target;
            try {
                target = Path.of(value);
            } catch (InvalidPathException e) {
                throw new ConfigException(file, lineNo, "lxc.include", value, "Invalid include path: " + e.getReason());
            }
            if (!target.isAbsolute() && file != null && file.getParent() != null) {
                target = file.getParent().resolve(target);
            }
            if (value.endsWith("/") || Files.isDirectory(target)) {
                includeDirectory(target, value, file, lineNo);
            } else {
                parseFile(target, file, lineNo);
            }
        }

        void includeDirectory(Path dir, String value, Path file, int lineNo) {
            if (!Files.isDirectory(dir)) {
                LOG.debug("{}:{}: Included directory \"{}\" does not exist", file, lineNo, dir);
                return;
            }
            List<Path> confs;
            try (Stream<Path> s = Files.list(dir)) {
                confs = s.filter(p -> p.getFileName().toString().endsWith(".conf"))
                        .filter(p -> !p.getFileName().toString().startsWith("."))
                        .filter(Files::isRegularFile).sorted().collect(Collectors.toList());
            } catch (IOException | SecurityException e) {
                throw new ConfigException(file, lineNo, "lxc.include", value,
                        "Failed to list included directory \"" + dir + "\": " + e.getMessage());
            }
            for (Path conf : confs) {
                parseFile(conf, file, lineNo);
            }
        }
    }
}
