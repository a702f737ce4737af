package org.lxj.core.internal.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.UUID;

import org.lxj.api.ContainerState;
import org.lxj.api.StopOptions;
import org.lxj.api.config.SystemConfig;
import org.lxj.cgroup.v1.internal.V1CgroupBackend;
import org.lxj.cgroup.v2.internal.V2CgroupBackend;
import org.lxj.core.internal.runtime.RuntimeComponent;
import org.lxj.launcher.internal.NativeLauncher;

/**
 * The shared set-up of the attach root tests: a runtime on {@link CgroupRootTest}'s host facts, busybox rootfs and
 * {@link BindStorage}, and one defined container {@code <prefix><id>} whose init sleeps forever, with an empty
 * network and {@code proc:mixed sys:ro}. {@link #close} thaws and stops it, closes the runtime and removes its
 * cgroups, mounts, lxcpath and run root, even when a test failed half-way.
 */
final class AttachFixture implements AutoCloseable {
    final Path lxcpath;
    final Path runRoot;
    final RuntimeComponent runtime;
    final String name;

    /**
     * @param runPrefix      the run root is {@code /run/<runPrefix><id>}
     * @param namePrefix     the container's name is {@code <namePrefix>} and six random characters
     * @param cgroupBackends whether the v1 and v2 cgroup backends are installed
     */
    AttachFixture(String runPrefix, String namePrefix, boolean cgroupBackends) throws IOException {
        String id = UUID.randomUUID().toString().substring(0, 8);
        lxcpath = Files.createDirectories(CgroupRootTest.base.resolve("lxc-" + id));
        runRoot = Path.of("/run/" + runPrefix + id);
        runtime = new RuntimeComponent(SystemConfig.defaults(), CgroupRootTest.sys, new RunLayout(runRoot));
        name = namePrefix + UUID.randomUUID().toString().substring(0, 6);
        try {
            runtime.addStorageBackend(new BindStorage(CgroupRootTest.sys), 0);
            runtime.setLauncher(new NativeLauncher());
            runtime.setHostFacts(CgroupRootTest.host);
            if (cgroupBackends) {
                runtime.addCgroupBackend(new V1CgroupBackend(CgroupRootTest.sys, CgroupRootTest.host));
                runtime.addCgroupBackend(new V2CgroupBackend(CgroupRootTest.sys, CgroupRootTest.host));
            }
            Path dir = Files.createDirectories(lxcpath.resolve(name));
            Files.writeString(dir.resolve("config"), "lxc.rootfs.path = dir:" + CgroupRootTest.rootfs + "\n"
                    + "lxc.uts.name = " + name + "\n"
                    + "lxc.net.0.type = empty\n"
                    + "lxc.mount.auto = proc:mixed sys:ro\n"
                    + "lxc.init.cmd = /bin/sh -c 'while :; do sleep 1; done'\n");
        } catch (IOException | RuntimeException e) {
            try {
                close();
            } catch (IOException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            try {
                if (runtime.get(lxcpath, name).state() == ContainerState.FROZEN) {
                    runtime.unfreeze(lxcpath, name);
                }
                if (runtime.get(lxcpath, name).state().isActive()) {
                    runtime.stop(lxcpath, name, new StopOptions(false, true, false, false, CgroupRootTest.BOUND));
                }
                runtime.waitFor(lxcpath, name, Set.of(ContainerState.STOPPED), CgroupRootTest.BOUND);
            } finally {
                runtime.close();
            }
        } finally {
            CgroupRootTest.removeCgroupsOf(name);
            Cleanup.detachMountsUnder(CgroupRootTest.sys, runRoot);
            Cleanup.detachMountsUnder(CgroupRootTest.sys, lxcpath);
            Cleanup.deleteTree(runRoot);
            Cleanup.deleteTree(lxcpath);
        }
    }
}
