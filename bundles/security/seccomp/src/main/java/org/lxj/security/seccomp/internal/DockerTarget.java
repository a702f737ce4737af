package org.lxj.security.seccomp.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.lxj.spi.security.Capability;

/**
 * The container a Docker/Moby profile is flattened for, and Docker's rule filters: a rule applies when the
 * container holds every capability of {@code includes.caps}, runs one of {@code includes.arches}, on a kernel at
 * least {@code includes.minKernel}, and holds none of {@code excludes.caps} nor runs one of
 * {@code excludes.arches}. Architectures there are Go's names ({@code amd64}, {@code arm64}) or the kernel's.
 *
 * @param nativeArch    the container's native architecture, our canonical name ({@code x86_64})
 * @param capabilities  its effective capability mask; -1 when every capability is held
 * @param kernelRelease the running kernel's release ({@code 6.18.0-1-amd64})
 */
record DockerTarget(String nativeArch, long capabilities, String kernelRelease) {

    private static final Map<String, String> GO_ARCHES = Map.of("386", "i386", "amd64", "x86_64", "arm64", "aarch64",
            "mips64le", "mipsel64", "mipsle", "mipsel", "ppc64le", "ppc64le", "loong64", "loongarch64");
    private static final Pattern VERSION = Pattern.compile("^(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?");

    boolean includes(List<String> caps, List<String> arches, String minKernel) {
        if (!caps.stream().allMatch(this::holds)) {
            return false;
        }
        if (!arches.isEmpty() && arches.stream().noneMatch(this::isNative)) {
            return false;
        }
        return minKernel.isBlank() || compare(kernelRelease, minKernel) >= 0;
    }

    boolean excludes(List<String> caps, List<String> arches) {
        return caps.stream().anyMatch(this::holds) || arches.stream().anyMatch(this::isNative);
    }

    private boolean holds(String cap) {
        if (capabilities == -1L) {
            return true;
        }
        Optional<Capability> c = Capability.find(cap);
        return c.isPresent() && (capabilities & c.get().bit()) != 0;
    }

    private boolean isNative(String arch) {
        String n = GO_ARCHES.getOrDefault(arch, arch);
        return Arches.canonical(n).map(nativeArch::equals).orElse(false);
    }

    /** Compares kernel versions by major, minor and patch; text after them ({@code -1-amd64}) is ignored. */
    static int compare(String a, String b) {
        int[] x = version(a);
        int[] y = version(b);
        for (int i = 0; i < 3; i++) {
            if (x[i] != y[i]) {
                return Integer.compare(x[i], y[i]);
            }
        }
        return 0;
    }

    private static int[] version(String v) {
        Matcher m = VERSION.matcher(v.trim());
        int[] out = new int[3];
        if (m.find()) {
            for (int i = 0; i < 3; i++) {
                String g = m.group(i + 1);
                out[i] = g == null ? 0 : Integer.parseInt(g);
            }
        }
        return out;
    }
}
