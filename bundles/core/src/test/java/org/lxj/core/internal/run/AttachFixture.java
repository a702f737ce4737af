package org.lxj.core.internal.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.UUID;

import org.lxj.api.ContainerState;
import org.lxj.cgroup.v1.internal.V1CgroupBackend;
import org.lxj.cgroup.v2.internal.V2CgroupBackend;
import org.lxj.core.internal.runtime.RuntimeComponent;

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
    private final RootRuns runs;

    /**
     * @param runPrefix      the run root is {@code /run/<runPrefix><id>}
     * @param namePrefix     the container's name is {@code <namePrefix>} and six random characters
     * @param cgroupBackends whether the v1 and v2 cgroup backends are installed
     */
    AttachFixture(String runPrefix, String namePrefix, boolean cgroupBackends) throws IOException {
        runs = new RootRuns(CgroupRootTest.machine, runPrefix, CgroupRootTest.host);
        lxcpath = runs.lxcpath;
        runRoot = runs.runRoot;
        runtime = runs.newRuntime();
        name = namePrefix + UUID.randomUUID().toString().substring(0, 6);
        try {
            if (cgroupBackends) {
                runtime.addCgroupBackend(new V1CgroupBackend(CgroupRootTest.sys, CgroupRootTest.host));
                runtime.addCgroupBackend(new V2CgroupBackend(CgroupRootTest.sys, CgroupRootTest.host));
            }
            runs.define(name, "lxc.uts.name = " + name + "\n"
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
            } finally {
                runs.close();
            }
        } finally {
            CgroupRootTest.removeCgroupsOf(name);
        }
    }
}
