package org.lxj.core.internal.lifecycle;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.lxj.api.LxjException;
import org.lxj.spi.template.Template;
import org.lxj.spi.template.TemplateRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An LXC template script ({@code lxc-create -t /path/script}, or {@code -t NAME} for
 * {@code /usr/share/lxc/templates/lxc-NAME} when no LXJ template of that name is installed), run with LXC's calling
 * convention: {@code --path=<lxcpath>/<name> --name=<name> --rootfs=<mounted rootfs>} then the user's arguments,
 * in the runtime's environment. As LXC does, it runs in a mount namespace of its own (through util-linux
 * {@code unshare --mount --propagation slave} when installed) so mounts it leaves behind vanish with it; the JVM
 * itself enters no namespace. It appends its keys to {@code <path>/config}; a non-zero exit fails the creation,
 * which core then undoes. Its output is logged at DEBUG, and the last lines are part of the error.
 */
final class TemplateScript implements Template {
    /** Where LXC's own template scripts live (Debian's {@code lxc} package). */
    static final Path LXC_TEMPLATES = Path.of("/usr/share/lxc/templates");
    static final List<Path> UNSHARE = List.of(Path.of("/usr/bin/unshare"), Path.of("/bin/unshare"));
    private static final int TAIL = 5;
    private static final Logger LOG = LoggerFactory.getLogger(TemplateScript.class);

    private final Path script;
    private final Map<String, String> env;
    private final Optional<Path> unshare;

    TemplateScript(Path script, Map<String, String> env, Optional<Path> unshare) {
        this.script = script;
        this.env = Map.copyOf(env);
        this.unshare = unshare;
    }

    /** The script for {@code -t VALUE}: an absolute path as given, or LXC's script of that name; empty if neither. */
    static Optional<Path> find(String value, Path templateDir) {
        if (value.indexOf('/') >= 0) {
            return Optional.of(Path.of(value));
        }
        Path p = templateDir.resolve("lxc-" + value);
        return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
    }

    /** util-linux {@code unshare}, when installed and this runtime runs as root (only root may unshare it). */
    static Optional<Path> unshareTool() {
        return runsAsRoot() ? UNSHARE.stream().filter(Files::isExecutable).findFirst() : Optional.empty();
    }

    private static boolean runsAsRoot() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("Uid:"))
                    .map(l -> l.split("\\s+")).anyMatch(f -> f.length > 2 && f[2].equals("0"));
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public String type() {
        return script.toString();
    }

    /** LXC's argument vector for the script. */
    static List<String> arguments(Path script, TemplateRequest request) {
        List<String> argv = new ArrayList<>();
        argv.add(script.toString());
        argv.add("--path=" + request.lxcpath().resolve(request.containerName()));
        argv.add("--name=" + request.containerName());
        argv.add("--rootfs=" + request.rootfs());
        argv.addAll(request.arguments());
        return argv;
    }

    @Override
    public void install(TemplateRequest request) {
        String name = request.containerName();
        if (!script.isAbsolute()) {
            throw new LxjException("Template script \"" + script + "\" is not an absolute path");
        }
        if (!Files.isRegularFile(script) || !Files.isExecutable(script)) {
            throw new LxjException("Template script \"" + script + "\" is not an executable file");
        }
        List<String> cmd = new ArrayList<>();
        unshare.ifPresent(u -> cmd.addAll(List.of(u.toString(), "--mount", "--propagation", "slave", "--")));
        cmd.addAll(arguments(script, request));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.environment().putIfAbsent("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        LOG.debug("{}: running template script {}", name, cmd);
        Deque<String> tail = new ArrayDeque<>();
        int status;
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new LxjException("Failed to run template script \"" + script + "\": " + e.getMessage(), e);
        }
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                LOG.debug("{}: template: {}", name, line);
                tail.addLast(line);
                if (tail.size() > TAIL) {
                    tail.removeFirst();
                }
            }
            status = p.waitFor();
        } catch (IOException e) {
            p.destroyForcibly();
            throw new LxjException("Failed to read the output of template script \"" + script + "\": "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new LxjException("Interrupted while template script \"" + script + "\" ran", e);
        }
        if (status != 0) {
            String output = tail.isEmpty() ? "" : ": " + String.join(" | ", tail);
            throw new LxjException("Template script \"" + script + "\" failed for \"" + name + "\" with status "
                    + status + output);
        }
    }
}
