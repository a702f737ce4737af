package org.lxj.spi.namespace;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.lxj.spi.launch.IdMapping;
import org.lxj.spi.launch.LaunchPlan;
import org.lxj.spi.launch.Namespace;
import org.lxj.spi.launch.NamespaceJoin;
import org.lxj.spi.launch.PlanValidationException;

/**
 * A namespace policy's decision for one container: every namespace type is created, joined, or kept from the
 * monitor, never two of these.
 *
 * @param create  namespaces to create ({@code lxc.namespace.clone}, default all the host supports)
 * @param join    namespaces to join ({@code lxc.namespace.share.*}, attach)
 * @param keep    namespaces inherited from the monitor ({@code lxc.namespace.keep})
 * @param idMaps  the uid and gid map of a new user namespace ({@code lxc.idmap})
 * @param setgroupsAllowed whether {@code setgroups} stays allowed in a new user namespace
 */
public record NamespaceSelection(Set<Namespace> create, List<NamespaceJoin> join, Set<Namespace> keep,
        List<IdMapping> idMaps, boolean setgroupsAllowed) {

    public NamespaceSelection {
        create = create.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(create));
        join = List.copyOf(join);
        keep = keep.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(keep));
        idMaps = List.copyOf(idMaps);
        Set<Namespace> seen = EnumSet.noneOf(Namespace.class);
        for (NamespaceJoin j : join) {
            if (!seen.add(j.namespace())) {
                throw new PlanValidationException("namespace share", j.namespace().procName(), "is shared twice");
            }
        }
        for (Namespace ns : Namespace.values()) {
            int uses = (create.contains(ns) ? 1 : 0) + (seen.contains(ns) ? 1 : 0) + (keep.contains(ns) ? 1 : 0);
            if (uses > 1) {
                throw new PlanValidationException("namespace", ns.procName(),
                        "is selected more than once among create, share and keep");
            }
        }
    }

    /** Puts this selection into {@code plan}: creations, joins, keeps, id maps and the setgroups policy. */
    public void applyTo(LaunchPlan.Builder plan) {
        create.forEach(plan::cloneNamespace);
        keep.forEach(plan::keepNamespace);
        join.forEach(plan::joinNamespace);
        idMaps.forEach(plan::idMapping);
        plan.setgroupsAllowed(setgroupsAllowed);
    }
}
