package org.lxj.spi.namespace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.lxj.spi.launch.IdMapping;
import org.lxj.spi.launch.LaunchPlan;
import org.lxj.spi.launch.Namespace;
import org.lxj.spi.launch.NamespaceJoin;
import org.lxj.spi.launch.PlanValidationException;
import org.lxj.spi.launch.ProcessSpec;

class NamespaceSelectionTest {

    @Test
    void appliesToThePlan() {
        NamespaceSelection s = new NamespaceSelection(Set.of(Namespace.MOUNT, Namespace.USER, Namespace.PID),
                List.of(NamespaceJoin.byPid(Namespace.NET, 4242)), Set.of(Namespace.IPC),
                List.of(new IdMapping(IdMapping.Kind.UID, 0, 100000, 65536),
                        new IdMapping(IdMapping.Kind.GID, 0, 100000, 65536)), false);
        LaunchPlan.Builder b = LaunchPlan.builder().cloneNamespace(Namespace.IPC)
                .process(ProcessSpec.root(List.of("/bin/sh"), List.of()));
        s.applyTo(b);
        LaunchPlan plan = b.build();
        assertEquals(Set.of(Namespace.MOUNT, Namespace.USER, Namespace.PID), plan.cloneNamespaces());
        assertEquals(List.of(NamespaceJoin.byPid(Namespace.NET, 4242)), plan.joins());
        assertEquals(2, plan.idMappings().size());
        assertEquals(false, plan.setgroupsAllowed());
    }

    @Test
    void aNamespaceIsChosenOnce() {
        assertThrows(PlanValidationException.class, () -> new NamespaceSelection(Set.of(Namespace.NET),
                List.of(NamespaceJoin.byPid(Namespace.NET, 1)), Set.of(), List.of(), true));
        assertThrows(PlanValidationException.class, () -> new NamespaceSelection(Set.of(Namespace.NET), List.of(),
                Set.of(Namespace.NET), List.of(), true));
        assertThrows(PlanValidationException.class, () -> new NamespaceSelection(Set.of(),
                List.of(NamespaceJoin.byPid(Namespace.NET, 1), NamespaceJoin.byPid(Namespace.NET, 2)), Set.of(),
                List.of(), true));
    }
}
