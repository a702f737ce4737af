package org.lxj.core.internal.run;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code state.json} records about a running container: enough to verify it, stop it and clean up after it
 * without the config (which may have changed since the start) and without this JVM (which may have restarted).
 *
 * @param name          the container's name
 * @param lxcpath       its lxcpath
 * @param phase         {@code STARTING} until init was released, then {@code RUNNING}
 * @param initPid       init's pid in the host pid namespace
 * @param initStartTime init's start time in clock ticks (field 22 of {@code /proc/PID/stat})
 * @param monitorPid    the monitor's pid
 * @param rootfsPath    the {@code lxc.rootfs.path} value, empty without one
 * @param rootfsMounted the mounted rootfs directory
 * @param rootfsTarget  where the storage backend was asked to mount it ({@code lxc.rootfs.mount})
 * @param needsUnmount  whether the storage backend must unmount it after the stop
 * @param haltSignal    the signal for a clean shutdown, 0 to detect (SIGRTMIN+3 for systemd, else SIGPWR)
 * @param rebootSignal  the signal for a reboot
 * @param stopSignal    the signal for a forced stop
 * @param ephemeral     destroy the container after it stopped ({@code lxc.ephemeral})
 * @param execute       started by {@code lxc-execute}
 * @param cgroups       the cgroups made for this start, as {@link CgroupRecord#encode} writes them; empty when
 *                      none (and in state files written before cgroups were recorded)
 */
public record RunState(String name, Path lxcpath, String phase, int initPid, long initStartTime, int monitorPid,
        String rootfsPath, Path rootfsMounted, Path rootfsTarget, boolean needsUnmount, int haltSignal,
        int rebootSignal, int stopSignal, boolean ephemeral, boolean execute, String cgroups) {

    public static final String STARTING = "STARTING";
    public static final String RUNNING = "RUNNING";

    public RunState {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(lxcpath, "lxcpath");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(rootfsPath, "rootfsPath");
        Objects.requireNonNull(rootfsMounted, "rootfsMounted");
        Objects.requireNonNull(rootfsTarget, "rootfsTarget");
        Objects.requireNonNull(cgroups, "cgroups");
    }

    /** A state without cgroups. */
    public RunState(String name, Path lxcpath, String phase, int initPid, long initStartTime, int monitorPid,
            String rootfsPath, Path rootfsMounted, Path rootfsTarget, boolean needsUnmount, int haltSignal,
            int rebootSignal, int stopSignal, boolean ephemeral, boolean execute) {
        this(name, lxcpath, phase, initPid, initStartTime, monitorPid, rootfsPath, rootfsMounted, rootfsTarget,
                needsUnmount, haltSignal, rebootSignal, stopSignal, ephemeral, execute, "");
    }

    /** The same state with the cgroups of this start recorded. */
    public RunState withCgroups(String encoded) {
        return new RunState(name, lxcpath, phase, initPid, initStartTime, monitorPid, rootfsPath, rootfsMounted,
                rootfsTarget, needsUnmount, haltSignal, rebootSignal, stopSignal, ephemeral, execute, encoded);
    }

    /** The same state in another phase. */
    public RunState withPhase(String newPhase) {
        return new RunState(name, lxcpath, newPhase, initPid, initStartTime, monitorPid, rootfsPath, rootfsMounted,
                rootfsTarget, needsUnmount, haltSignal, rebootSignal, stopSignal, ephemeral, execute, cgroups);
    }

    /** The JSON text of {@code state.json}. */
    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", 1);
        m.put("name", name);
        m.put("lxcpath", lxcpath.toString());
        m.put("phase", phase);
        m.put("initPid", initPid);
        m.put("initStartTime", initStartTime);
        m.put("monitorPid", monitorPid);
        m.put("rootfsPath", rootfsPath);
        m.put("rootfsMounted", rootfsMounted.toString());
        m.put("rootfsTarget", rootfsTarget.toString());
        m.put("needsUnmount", needsUnmount);
        m.put("haltSignal", haltSignal);
        m.put("rebootSignal", rebootSignal);
        m.put("stopSignal", stopSignal);
        m.put("ephemeral", ephemeral);
        m.put("execute", execute);
        m.put("cgroups", cgroups);
        return FlatJson.write(m);
    }

    /**
     * Reads {@code state.json} text.
     *
     * @throws IllegalArgumentException naming what is malformed or missing
     */
    public static RunState fromJson(String text) {
        Map<String, String> m = FlatJson.read(text);
        return new RunState(req(m, "name"), Path.of(req(m, "lxcpath")), req(m, "phase"),
                Integer.parseInt(req(m, "initPid")), Long.parseLong(req(m, "initStartTime")),
                Integer.parseInt(req(m, "monitorPid")), req(m, "rootfsPath"), Path.of(req(m, "rootfsMounted")),
                Path.of(req(m, "rootfsTarget")), Boolean.parseBoolean(req(m, "needsUnmount")),
                Integer.parseInt(req(m, "haltSignal")), Integer.parseInt(req(m, "rebootSignal")),
                Integer.parseInt(req(m, "stopSignal")), Boolean.parseBoolean(req(m, "ephemeral")),
                Boolean.parseBoolean(req(m, "execute")), m.getOrDefault("cgroups", ""));
    }

    private static String req(Map<String, String> m, String key) {
        String v = m.get(key);
        if (v == null) {
            throw new IllegalArgumentException("Missing field \"" + key + "\"");
        }
        return v;
    }
}
