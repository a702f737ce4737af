package org.lxj.core.internal.plan;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.lxj.api.UnsupportedFeatureException;
import org.lxj.api.config.ContainerConfig;
import org.lxj.core.internal.config.ConfigParser;
import org.lxj.spi.backend.ContainerContext;
import org.lxj.spi.launch.LaunchContributor;
import org.lxj.spi.launch.LaunchPlan;

/** Keys whose mechanism is missing are refused by name, never ignored. */
class KeyGateTest {

    static ContainerConfig config(String text) {
        return new ConfigParser().parse(text, Path.of("/tmp/config"));
    }

    static LaunchContributor at(int order) {
        return new LaunchContributor() {
            @Override
            public int order() {
                return order;
            }

            @Override
            public void contribute(ContainerContext context, LaunchPlan.Builder plan) {
            }
        };
    }

    static String refusal(String line, LaunchContributor... installed) {
        return assertThrows(UnsupportedFeatureException.class,
                () -> KeyGate.check(config(line), List.of(installed))).getMessage();
    }

    @Test
    void contributorKeysNeedTheirBundle() {
        assertEquals("Config key \"lxc.cap.drop\" needs a capability backend, and none is installed",
                refusal("lxc.cap.drop = sys_module\n"));
        assertDoesNotThrow(() -> KeyGate.check(config("lxc.cap.drop = sys_module\n"),
                List.of(at(LaunchContributor.ORDER_SECURITY))));
        assertEquals("Config key \"lxc.namespace.clone\" needs a namespace backend, and none is installed",
                refusal("lxc.namespace.clone = mnt pid\n", at(LaunchContributor.ORDER_SECURITY)));
        assertEquals("Config key \"lxc.cgroup2.memory.max\" needs a cgroup backend, and none is installed",
                refusal("lxc.cgroup2.memory.max = 100M\n"));
        assertEquals("Config key \"lxc.seccomp.profile\" needs a seccomp backend, and none is installed",
                refusal("lxc.seccomp.profile = /x\n"));
        assertEquals("Config key \"lxc.apparmor.profile\" needs an LSM backend, and none is installed",
                refusal("lxc.apparmor.profile = lxc-container-default\n"));
        assertEquals("Config key \"lxc.idmap\" needs a namespace backend, and none is installed",
                refusal("lxc.idmap = u 0 100000 65536\n"));
    }

    @Test
    void laterMechanismsAreRefusedByKey() {
        assertEquals("Config key \"lxc.net.0.type\" needs a network backend for type \"veth\", and none is installed",
                refusal("lxc.net.0.type = veth\n"));
        assertEquals("Config key \"lxc.hook.clone\" needs clone and destroy hook support (lxc-copy, lxc-destroy), "
                + "and none is installed", refusal("lxc.hook.clone = /bin/true\n"));
        assertEquals("Config key \"lxc.hook.destroy\" needs clone and destroy hook support (lxc-copy, lxc-destroy), "
                + "and none is installed", refusal("lxc.hook.destroy = /bin/true\n"));
    }

    @Test
    void harmlessValuesPass() {
        assertDoesNotThrow(() -> KeyGate.check(config("""
                lxc.net.0.type = empty
                lxc.net.1.type = none
                lxc.apparmor.profile = unconfined
                lxc.tty.max = 0
                lxc.tty.max = 5
                lxc.console.path = none
                lxc.console.logfile = /tmp/log
                lxc.console.rotate = 1
                lxc.console.size = auto
                lxc.console.buffer.size = 64K
                lxc.tty.dir = lxc
                lxc.pty.max = 10
                lxc.cgroup.relative = 0
                lxc.hook.version = 1
                lxc.hook.pre-start = /bin/true
                lxc.hook.mount = /bin/true
                lxc.hook.post-stop = /bin/true
                lxc.cap.drop =
                """), List.of()));
    }
}
