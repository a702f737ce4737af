package org.lxj.security.seccomp.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Architectures by {@code uname -m} name: their libseccomp token (the audit architecture, or libseccomp's own
 * token for x32), the names LXC sections and OCI profiles use for them, and the compat architectures a native
 * one runs.
 */
final class Arches {

    static final String X86_64 = "x86_64";
    static final String I386 = "i386";
    static final String X32 = "x32";

    private static final Map<String, Integer> TOKENS = Map.ofEntries(
            Map.entry(X86_64, 0xC000003E), Map.entry(I386, 0x40000003), Map.entry(X32, 0x4000003E),
            Map.entry("aarch64", 0xC00000B7), Map.entry("arm", 0x40000028), Map.entry("riscv64", 0xC00000F3),
            Map.entry("s390x", 0x80000016), Map.entry("s390", 0x00000016), Map.entry("ppc64le", 0xC0000015),
            Map.entry("ppc64", 0x80000015), Map.entry("ppc", 0x00000014), Map.entry("mips", 0x00000008),
            Map.entry("mipsel", 0x40000008), Map.entry("mips64", 0x80000008), Map.entry("mipsel64", 0xC0000008),
            Map.entry("mips64n32", 0xA0000008), Map.entry("mipsel64n32", 0xE0000008),
            Map.entry("loongarch64", 0xC0000102));

    /** LXC section names and {@code uname -m} variants that differ from ours. */
    private static final Map<String, String> ALIASES = Map.of("x86", I386, "i686", I386, "arm64", "aarch64",
            "armv7l", "arm", "amd64", X86_64);

    private static final Map<String, List<String>> COMPAT = Map.of(X86_64, List.of(I386), "aarch64",
            List.of("arm"), "ppc64", List.of("ppc"), "s390x", List.of("s390"), "mips64", List.of("mips"),
            "mipsel64", List.of("mipsel"));

    private Arches() {
    }

    /** Our name for an architecture written as a {@code uname -m} name or an LXC section name. */
    static Optional<String> canonical(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        n = ALIASES.getOrDefault(n, n);
        return TOKENS.containsKey(n) ? Optional.of(n) : Optional.empty();
    }

    /** Our name for an OCI {@code SCMP_ARCH_*} name. */
    static Optional<String> fromOci(String name) {
        if (!name.startsWith("SCMP_ARCH_")) {
            return Optional.empty();
        }
        String n = name.substring("SCMP_ARCH_".length()).toLowerCase(Locale.ROOT);
        return canonical(n);
    }

    /** The libseccomp token: the audit architecture the kernel puts in {@code seccomp_data.arch}. */
    static int token(String arch) {
        Integer t = TOKENS.get(arch);
        if (t == null) {
            throw new IllegalArgumentException("Unknown architecture \"" + arch + "\"");
        }
        return t;
    }

    /**
     * The architectures a container on {@code nativeArch} runs by default: the native one and its 32-bit compat
     * architecture, as LXC's {@code [all]}. x32 is left out (most kernels disable it) and so meets the
     * bad-architecture action.
     */
    static List<String> withCompat(String nativeArch) {
        String n = canonical(nativeArch).orElse(nativeArch);
        List<String> compat = COMPAT.getOrDefault(n, List.of());
        return Stream.concat(Stream.of(n), compat.stream()).toList();
    }
}
