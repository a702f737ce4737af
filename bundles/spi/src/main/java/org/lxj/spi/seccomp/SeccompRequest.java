package org.lxj.spi.seccomp;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What to compile: a policy and everything that changes the program made from it.
 *
 * @param policy        the policy text ({@code lxc.seccomp.profile} file contents, LXC v1/v2 or OCI JSON)
 * @param source        the file it was read from, for messages ({@code <file>:<line>: ...})
 * @param architectures the audit architectures the filter must handle, native first, by
 *                      {@code uname -m} name ({@code x86_64}, {@code i386}, {@code x32}); an architecture not
 *                      listed gets the bad-architecture action
 * @param capabilities  the container's effective capability mask, for policies that allow by capability
 *                      (Docker's {@code includes.caps})
 * @param notifyAllowed whether {@code notify} rules may be used (a notification proxy is configured,
 *                      {@code lxc.seccomp.notify.proxy}); without it they are an error
 */
public record SeccompRequest(String policy, Optional<Path> source, List<String> architectures, long capabilities,
        boolean notifyAllowed) {

    public SeccompRequest {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(source, "source");
        architectures = List.copyOf(architectures);
        if (architectures.isEmpty()) {
            throw new IllegalArgumentException("Invalid seccomp request: no architecture given");
        }
    }

    /** The native architecture: the first of {@link #architectures()}. */
    public String nativeArchitecture() {
        return architectures.get(0);
    }

    /**
     * A key for caching compiled programs: a SHA-256 over the compiler's identity and every input that
     * changes the output (not the source path, which only changes messages). Two requests with equal keys
     * compile to the same program with the same compiler.
     *
     * @param compilerId the compiler's type and version, e.g. {@code "libseccomp/2.5.4"}
     */
    public String cacheKey(String compilerId) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            field(md, compilerId);
            field(md, policy);
            // architectures after the first are a set: their order does not change the filter
            field(md, nativeArchitecture());
            field(md, String.join(",", new TreeSet<>(architectures.subList(1, architectures.size()))));
            field(md, Long.toHexString(capabilities));
            field(md, Boolean.toString(notifyAllowed));
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static void field(MessageDigest md, String value) {
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        md.update((byte) (b.length >>> 24));
        md.update((byte) (b.length >>> 16));
        md.update((byte) (b.length >>> 8));
        md.update((byte) b.length);
        md.update(b);
    }
}
