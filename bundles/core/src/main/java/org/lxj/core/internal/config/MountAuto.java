package org.lxj.core.internal.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@code lxc.mount.auto} tokens: validation and the canonical form {@code get_config_item} prints. */
final class MountAuto {
    private static final Set<String> PROC = Set.of("proc", "proc:mixed", "proc:rw");
    private static final Set<String> SYS = Set.of("sys", "sys:mixed", "sys:ro", "sys:rw");
    private static final Set<String> CGROUP_MODES = Set.of("", ":mixed", ":ro", ":rw");

    private MountAuto() {
    }

    static boolean valid(String token) {
        if (PROC.contains(token) || SYS.contains(token)) {
            return true;
        }
        if (token.startsWith("shmounts:")) {
            String rest = token.substring("shmounts:".length());
            return !rest.isEmpty() && !rest.startsWith(":") && !rest.endsWith(":") && rest.split(":").length <= 2;
        }
        String base = token.startsWith("cgroup-full") ? "cgroup-full" : token.startsWith("cgroup") ? "cgroup" : null;
        if (base == null) {
            return false;
        }
        String mode = token.substring(base.length());
        if (mode.endsWith(":force")) {
            mode = mode.substring(0, mode.length() - ":force".length());
        }
        return CGROUP_MODES.contains(mode);
    }

    /** The canonical print of the effective tokens (later tokens of the same kind win), as LXC orders them. */
    static String canonical(List<String> values) {
        String proc = null;
        String sys = null;
        String cgroup = null;
        List<String> shmounts = new ArrayList<>();
        for (String value : values) {
            for (String t : value.trim().split("\\s+")) {
                if (t.startsWith("proc")) {
                    proc = t.equals("proc") ? "proc:mixed" : t;
                } else if (t.startsWith("sys")) {
                    sys = t.equals("sys") ? "sys:rw" : t;
                } else if (t.startsWith("cgroup")) {
                    cgroup = t;
                } else if (t.startsWith("shmounts:")) {
                    shmounts.add(t);
                }
            }
        }
        List<String> out = new ArrayList<>();
        if (proc != null) {
            out.add(proc);
        }
        if (sys != null) {
            out.add(sys);
        }
        if (cgroup != null) {
            out.add(cgroup);
        }
        out.addAll(shmounts);
        return String.join(" ", out);
    }
}
