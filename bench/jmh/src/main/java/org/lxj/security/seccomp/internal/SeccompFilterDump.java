package org.lxj.security.seccomp.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.lxj.linux.internal.JnaSyscalls;
import org.lxj.spi.security.Capability;
import org.lxj.spi.seccomp.SeccompRequest;

/**
 * Writes the BPF programs a start on this x86_64 host loads, as the launcher receives them, for
 * {@code bench/seccomp-install.sh}: {@code common.bpf} (LXC's common.seccomp), {@code docker-default.bpf} (the
 * built-in profile flattened for Docker's default capabilities) and {@code allow.bpf} (one instruction, the floor).
 * Usage: {@code java -cp benchmarks.jar org.lxj.security.seccomp.internal.SeccompFilterDump DIR}.
 */
public final class SeccompFilterDump {

    static final Path COMMON = Path.of("/usr/share/lxc/config/common.seccomp");
    static final List<String> DOCKER_CAPS = List.of("chown", "dac_override", "fowner", "fsetid", "kill", "setgid",
            "setuid", "setpcap", "net_bind_service", "net_raw", "sys_chroot", "mknod", "audit_write", "setfcap");
    /** {@code BPF_RET | BPF_K} with {@code SECCOMP_RET_ALLOW}. */
    static final byte[] ALLOW = {0x06, 0, 0, 0, 0, 0, (byte) 0xff, 0x7f};

    private SeccompFilterDump() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        LibseccompCompiler compiler = new LibseccompCompiler(new JnaSyscalls());
        List<String> arches = Arches.withCompat("x86_64");
        if (Files.isRegularFile(COMMON)) {
            write(dir.resolve("common.bpf"), compiler.compile(new SeccompRequest(Files.readString(COMMON),
                    Optional.of(COMMON), arches, -1L, false)).program().filter());
        }
        long caps = 0;
        for (String name : DOCKER_CAPS) {
            caps |= Capability.find(name).orElseThrow().bit();
        }
        write(dir.resolve("docker-default.bpf"), compiler.compile(new SeccompRequest(
                SeccompContributor.builtin(SeccompContributor.DOCKER_DEFAULT).orElseThrow(),
                Optional.of(Path.of(SeccompContributor.DOCKER_DEFAULT)), arches, caps, false)).program().filter());
        write(dir.resolve("allow.bpf"), ALLOW);
    }

    private static void write(Path file, byte[] program) throws IOException {
        Files.write(file, program);
        System.out.println(file.getFileName() + ": " + program.length / 8 + " instructions");
    }
}
