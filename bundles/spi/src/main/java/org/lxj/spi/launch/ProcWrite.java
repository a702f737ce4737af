package org.lxj.spi.launch;

import java.nio.file.Path;

/**
 * A value the launcher writes to a file under the container's {@code /proc} before the exec: a sysctl
 * ({@code lxc.sysctl.net.ipv4.ip_forward} is {@code sys/net/ipv4/ip_forward}) or a per-process file
 * ({@code lxc.proc.oom_score_adj} is {@code self/oom_score_adj}). The launcher opens the file through a
 * verified procfs handle, never through a path the container controls.
 *
 * @param file  the file, relative to {@code /proc}, without {@code .} or {@code ..} components
 * @param value what to write (no newline is added)
 */
public record ProcWrite(String file, String value) {

    public ProcWrite {
        PlanChecks.nonEmpty("proc file", file);
        PlanChecks.text("value for /proc/" + file, value);
        if (file.startsWith("/")) {
            throw new PlanValidationException("proc file", file, "must be relative to /proc");
        }
        PlanChecks.absolute("proc file", Path.of("/proc", file));
    }

    /** A sysctl by its dotted name, as {@code lxc.sysctl.<name>} gives it: dots become slashes. */
    public static ProcWrite sysctl(String name, String value) {
        PlanChecks.nonEmpty("sysctl name", name);
        if (name.contains("/")) {
            throw new PlanValidationException("sysctl name", name, "use dots, not slashes");
        }
        return new ProcWrite("sys/" + name.replace('.', '/'), value);
    }

    /** A file of the container's init under {@code /proc/self}, as {@code lxc.proc.<file>} gives it. */
    public static ProcWrite self(String file, String value) {
        return new ProcWrite("self/" + file, value);
    }
}
