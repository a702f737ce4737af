package org.lxj.spi.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class LabelMountsTest {

    private static final String CTX = "context=\"system_u:object_r:lxc_file_t:s0:c1,c2\"";

    @Test
    void labelsKernelFilesystemsButNotBindsRemountsOrContextsAlreadySet() {
        LaunchPlan.Builder b = LaunchPlan.builder()
                .mount(MountStep.filesystem("tmpfs", Path.of("/dev"), EnumSet.of(MountFlag.NOSUID), "size=500000,mode=755"))
                .mount(MountStep.filesystem("devpts", Path.of("/dev/pts"), EnumSet.of(MountFlag.NOEXEC), "newinstance"))
                .mount(new MountStep("mqueue", Path.of("/dev/mqueue"), "mqueue", EnumSet.of(MountFlag.NODEV), "",
                        Optional.empty(), MountStep.Create.DIR, true, false))
                .mount(MountStep.filesystem("proc", Path.of("/proc"), EnumSet.of(MountFlag.NOSUID), ""))
                .mount(MountStep.bind(Path.of("/srv"), Path.of("/srv"), false, MountStep.Create.DIR))
                .mount(new MountStep("", Path.of("/dev/shm"), "tmpfs", EnumSet.of(MountFlag.REMOUNT), "mode=1777",
                        Optional.empty(), MountStep.Create.NONE, false, false))
                .mount(MountStep.filesystem("tmpfs", Path.of("/run"), EnumSet.noneOf(MountFlag.class),
                        "mode=755,rootcontext=\"x:y:z\""))
                .labelMounts(CTX);
        b.cloneNamespace(Namespace.MOUNT).process(ProcessSpec.root(List.of("/sbin/init"), List.of()));
        List<String> data = b.build().mounts().stream().map(MountStep::data).toList();
        assertEquals(List.of("size=500000,mode=755," + CTX, "newinstance," + CTX, CTX, "", "", "mode=1777",
                "mode=755,rootcontext=\"x:y:z\""), data);
    }

    @Test
    void mountsAddedAfterwardsAreLeftAsTheyAre() {
        LaunchPlan.Builder b = LaunchPlan.builder().labelMounts(CTX)
                .mount(MountStep.filesystem("tmpfs", Path.of("/tmp"), EnumSet.noneOf(MountFlag.class), "mode=1777"));
        b.cloneNamespace(Namespace.MOUNT).process(ProcessSpec.root(List.of("/sbin/init"), List.of()));
        assertEquals("mode=1777", b.build().mounts().get(0).data());
    }

    @Test
    void anEmptyOptionIsRefused() {
        assertThrows(PlanValidationException.class, () -> LaunchPlan.builder().labelMounts(""));
    }
}
