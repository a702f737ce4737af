package org.lxj.core.internal.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.lxj.api.ConfigException;
import org.lxj.api.config.ContainerConfig;
import org.lxj.core.internal.config.ConfigParser;
import org.lxj.spi.launch.Hook;

class ContainerHooksTest {
    static final Path FILE = Path.of("/var/lib/lxc/c1/config");
    static final Path MOUNT = Path.of("/run/lxj/x/c1/rootfs");

    static ContainerHooks hooks(String text) {
        ContainerConfig config = new ConfigParser().parse(text, FILE);
        return ContainerHooks.of("c1", config, FILE, MOUNT, Map.of("PATH", "/bin", "HOME", "/root"));
    }

    static Map<String, String> env(Hook h) {
        return h.env().stream().collect(java.util.stream.Collectors.toMap(e -> e.substring(0, e.indexOf('=')),
                e -> e.substring(e.indexOf('=') + 1)));
    }

    @Test
    void version0PassesNameSectionAndTypeAsArguments() {
        ContainerHooks h = hooks("""
                lxc.rootfs.path = dir:/srv/c1
                lxc.hook.pre-start = /usr/local/bin/pre
                lxc.hook.mount = /usr/local/bin/mnt --fast
                """);
        assertEquals(0, h.version());
        Hook pre = h.of(Hook.Stage.PRE_START).get(0);
        assertEquals(List.of("/usr/local/bin/pre", "c1", "lxc", "pre-start"), pre.argv());
        assertEquals(List.of("/usr/local/bin/mnt", "--fast", "c1", "lxc", "mount"), h.of(Hook.Stage.MOUNT).get(0).argv());
        Map<String, String> env = env(pre);
        assertEquals("c1", env.get("LXC_NAME"));
        assertEquals(FILE.toString(), env.get("LXC_CONFIG_FILE"));
        assertEquals(MOUNT.toString(), env.get("LXC_ROOTFS_MOUNT"));
        assertEquals("dir:/srv/c1", env.get("LXC_ROOTFS_PATH"));
        assertEquals("0", env.get("LXC_HOOK_VERSION"));
        assertEquals("1", env.get("LXC_CGNS_AWARE"));
        assertEquals("ERROR", env.get("LXC_LOG_LEVEL"));
        assertEquals("/bin", env.get("PATH"));
        assertEquals("/root", env.get("HOME"), "hooks inherit the runtime's environment, as LXC's do");
        assertFalse(env.containsKey("LXC_HOOK_TYPE"), "version 0: the type is an argument only");
        assertFalse(env.containsKey("LXC_HOOK_SECTION"));
    }

    @Test
    void version1PassesTypeAndSectionAsVariablesOnly() {
        ContainerHooks h = hooks("""
                lxc.hook.version = 1
                lxc.hook.autodev = /h/autodev
                lxc.hook.stop = /h/stop
                lxc.log.level = DEBUG
                """);
        Hook autodev = h.of(Hook.Stage.AUTODEV).get(0);
        assertEquals(List.of("/h/autodev"), autodev.argv());
        assertEquals("autodev", env(autodev).get("LXC_HOOK_TYPE"));
        assertEquals("lxc", env(autodev).get("LXC_HOOK_SECTION"));
        assertEquals("1", env(autodev).get("LXC_HOOK_VERSION"));
        assertEquals("DEBUG", env(autodev).get("LXC_LOG_LEVEL"));
        assertFalse(env(autodev).containsKey("LXC_ROOTFS_PATH"), "no lxc.rootfs.path, no variable");
        Hook stop = h.of(Hook.Stage.STOP).get(0);
        assertEquals("stop", env(stop).get("LXC_TARGET"));
        assertEquals("stop", env(stop).get("LXC_HOOK_TYPE"));
    }

    @Test
    void shellSyntaxRunsThroughTheShellWithArgumentsIntact() {
        Hook h = hooks("lxc.hook.start-host = echo \"$LXC_NAME\" > /tmp/x\n").of(Hook.Stage.START_HOST).get(0);
        assertEquals(List.of("/bin/sh", "-c", "exec echo \"$LXC_NAME\" > /tmp/x \"$@\"",
                "echo \"$LXC_NAME\" > /tmp/x", "c1", "lxc", "start-host"), h.argv());
        assertEquals("echo \"$LXC_NAME\" > /tmp/x", ContainerHooks.label(h));
        Hook relative = hooks("lxc.hook.post-stop = myhook\n").of(Hook.Stage.POST_STOP).get(0);
        assertEquals("/bin/sh", relative.argv().get(0), "a program found through PATH, as LXC's shell finds it");
        assertEquals("myhook", ContainerHooks.label(relative));
    }

    @Test
    void hooksKeepConfigOrderAndEveryStage() {
        ContainerHooks h = hooks("""
                lxc.hook.start = /h/s1
                lxc.hook.pre-mount = /h/pm
                lxc.hook.start = /h/s2
                lxc.hook.start-host = /h/sh
                lxc.hook.post-stop = /h/ps
                """);
        assertEquals(List.of("/h/s1", "/h/s2"), h.of(Hook.Stage.START).stream().map(x -> x.argv().get(0)).toList());
        assertEquals(5, h.hooks().size());
        assertEquals(List.of(Hook.Stage.START, Hook.Stage.PRE_MOUNT, Hook.Stage.START, Hook.Stage.START_HOST,
                Hook.Stage.POST_STOP), h.hooks().stream().map(Hook::stage).toList());
    }

    @Test
    void clearingLineDropsEarlierHooks() {
        ContainerHooks h = hooks("""
                lxc.hook.start = /h/s1
                lxc.hook.start =
                lxc.hook.start = /h/s2
                """);
        assertEquals(List.of("/h/s2"), h.of(Hook.Stage.START).stream().map(x -> x.argv().get(0)).toList());
    }

    @Test
    void aBadVersionIsAConfigError() {
        ContainerConfig config = new org.lxj.core.internal.config.ConfigParser().parse("lxc.hook.version = 1\n", FILE);
        assertEquals(1, ContainerHooks.version(config));
        assertThrows(ConfigException.class, () -> hooks("lxc.hook.version = 2\n"));
    }

    @Test
    void hostHookFailureNamesTheHookAndStatus() {
        Hook h = new Hook(Hook.Stage.PRE_START, List.of("/bin/sh", "-c", "exit 3"), List.of("PATH=/bin:/usr/bin"));
        org.lxj.api.LxjException e = assertThrows(org.lxj.api.LxjException.class,
                () -> HostHooks.run("c1", List.of(h)));
        assertEquals("Hook pre-start \"/bin/sh\" exited with status 3", e.getMessage());
        HostHooks.run("c1", List.of(new Hook(Hook.Stage.START_HOST, List.of("/bin/true"), List.of())));
        assertTrue(HostHooks.describe(h, 137).endsWith("was killed by signal 9"));
    }
}
