package org.lxj.shell.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.lxj.api.Container;
import org.lxj.api.ContainerState;
import org.lxj.api.config.ContainerConfig;

/**
 * What {@code lxc-ls} shows of one container, read once from its configuration and state.
 *
 * @param name         the container's name
 * @param state        its state
 * @param pid          its init's PID while it runs, else -1
 * @param autostart    {@code lxc.start.auto} as written, {@code 0} when unset
 * @param groups       the {@code lxc.group} entries, each line split at blanks as LXC splits them
 * @param unprivileged whether the configuration maps ids ({@code lxc.idmap})
 */
record ListedContainer(String name, ContainerState state, long pid, String autostart, List<String> groups,
        boolean unprivileged) {

    static ListedContainer of(Container c) {
        ContainerConfig config = c.config();
        List<String> groups = new ArrayList<>();
        for (String line : config.values("lxc.group")) {
            for (String g : line.trim().split("[ \t]+")) {
                if (!g.isEmpty()) {
                    groups.add(g);
                }
            }
        }
        ContainerState state = c.state();
        long pid = state.isActive() ? c.initPid().orElse(-1) : -1;
        return new ListedContainer(c.name(), state, pid, config.value("lxc.start.auto").orElse("0").trim(),
                groups, !config.values("lxc.idmap").isEmpty());
    }

    /** The GROUPS cell: entries joined by a comma and a blank, {@code -} for none. */
    String groupsCell() {
        return groups.isEmpty() ? "-" : String.join(", ", groups);
    }

    /**
     * Whether the container is in every one of {@code wanted}. A group entry written with commas
     * ({@code lxc.group = web,db}) counts as each of its parts, as {@code lxc-ls -g} matches them.
     */
    boolean inAllGroups(List<String> wanted) {
        Set<String> have = new LinkedHashSet<>();
        for (String g : groups) {
            for (String part : g.split(",")) {
                have.add(part.trim());
            }
        }
        return have.containsAll(wanted);
    }

    boolean autostarts() {
        return !autostart.equals("0") && !autostart.isEmpty();
    }
}
