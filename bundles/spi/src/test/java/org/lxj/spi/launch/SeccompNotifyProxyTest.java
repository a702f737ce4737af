package org.lxj.spi.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class SeccompNotifyProxyTest {

    private static LaunchPlan.Builder plan() {
        return LaunchPlan.builder().process(ProcessSpec.root(List.of("/bin/true"), List.of("PATH=/bin")));
    }

    private static SeccompProgram program(SeccompFilterFlag... flags) {
        EnumSet<SeccompFilterFlag> set = EnumSet.noneOf(SeccompFilterFlag.class);
        set.addAll(List.of(flags));
        return new SeccompProgram(new byte[16], set);
    }

    @Test
    void parsesLxcValues() {
        SeccompNotifyProxy p = SeccompNotifyProxy.parse("unix:/run/proxy.sock", "c00kie");
        assertEquals("/run/proxy.sock", p.address());
        assertEquals(Optional.of("c00kie"), p.cookie());
        assertEquals(new SeccompNotifyProxy("@abs", Optional.empty()), SeccompNotifyProxy.parse("unix:@abs", ""));
    }

    @Test
    void refusesBadAddresses() {
        assertThrows(PlanValidationException.class, () -> SeccompNotifyProxy.parse("tcp:1.2.3.4", ""));
        assertThrows(PlanValidationException.class, () -> SeccompNotifyProxy.parse("unix:relative", ""));
        assertThrows(PlanValidationException.class, () -> SeccompNotifyProxy.parse("unix:@", ""));
        assertThrows(PlanValidationException.class, () -> SeccompNotifyProxy.parse("unix:/" + "a".repeat(107), ""));
        assertThrows(PlanValidationException.class, () -> SeccompNotifyProxy.parse("unix:/p", "a\0b"));
    }

    @Test
    void aNotifyingFilterAndAProxyComeTogether() {
        SeccompNotifyProxy proxy = SeccompNotifyProxy.parse("unix:/p", "");
        LaunchPlan ok = plan().seccomp(program(SeccompFilterFlag.NEW_LISTENER)).seccompNotifyProxy(proxy).build();
        assertEquals(Optional.of(proxy), ok.seccompNotifyProxy());
        PlanValidationException none = assertThrows(PlanValidationException.class,
                () -> plan().seccomp(program(SeccompFilterFlag.NEW_LISTENER)).build());
        assertTrue(none.getMessage().contains("a filter with notify rules needs one"), none.getMessage());
        assertThrows(PlanValidationException.class, () -> plan().seccomp(program()).seccompNotifyProxy(proxy).build());
        assertThrows(PlanValidationException.class, () -> plan().seccompNotifyProxy(proxy).build());
        assertThrows(PlanValidationException.class, () -> plan().seccomp(program(SeccompFilterFlag.NEW_LISTENER,
                SeccompFilterFlag.TSYNC)).seccompNotifyProxy(proxy).build());
    }
}
