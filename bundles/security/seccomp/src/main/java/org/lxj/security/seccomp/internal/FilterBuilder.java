package org.lxj.security.seccomp.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.lxj.linux.Errno;
import org.lxj.linux.OpenFlags;
import org.lxj.linux.Syscalls;
import org.lxj.spi.backend.BackendException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * Turns one {@link Policy} into BPF with libseccomp: one context per architecture (so {@code [arch]} sections
 * stay per architecture, as LXC builds them), merged, exported as raw {@code sock_filter} bytes. Not thread-safe;
 * one per compile.
 */
final class FilterBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(FilterBuilder.class);
    private static final int ARG_CMP_SIZE = 24;

    private final LibSeccomp lib;
    private final Syscalls sys;
    private final Policy policy;
    private final List<String> arches;
    private final Optional<Path> source;
    private final Set<String> warnings = new LinkedHashSet<>();

    /** @param arches the filter's architectures, native first */
    FilterBuilder(LibSeccomp lib, Syscalls sys, Policy policy, List<String> arches, Optional<Path> source) {
        this.lib = lib;
        this.sys = sys;
        this.policy = policy;
        this.arches = List.copyOf(arches);
        this.source = source;
    }

    List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** The exported program. */
    byte[] build() {
        List<Pointer> contexts = new ArrayList<>();
        try {
            for (String arch : arches) {
                Pointer ctx = context(arch);
                contexts.add(ctx);
                addRules(ctx, arch, arch.equals(arches.get(0)));
            }
            Pointer first = contexts.get(0);
            for (int i = 1; i < arches.size(); i++) {
                check(lib.seccomp_merge(first, contexts.get(1)), "seccomp_merge", arches.get(i));
                contexts.remove(1); // a merged context belongs to the first now
            }
            return export(first);
        } finally {
            contexts.forEach(lib::seccomp_release);
        }
    }

    private Pointer context(String arch) {
        Pointer ctx = lib.seccomp_init(policy.defaultAction().value());
        if (ctx == null) {
            throw new BackendException("Failed to create a seccomp filter: seccomp_init(" + policy.defaultAction()
                    + ") failed");
        }
        try {
            check(lib.seccomp_attr_set(ctx, LibSeccomp.ATTR_CTL_NNP, 0), "seccomp_attr_set(CTL_NNP)", arch);
            check(lib.seccomp_attr_set(ctx, LibSeccomp.ATTR_ACT_BADARCH, Action.KILL_PROCESS.value()),
                    "seccomp_attr_set(ACT_BADARCH)", arch);
            // a binary tree instead of a linear chain: the kernel emulates the filter for every syscall number when
            // it installs it (its action cache), so a long chain costs each start; older libraries keep the chain
            lib.seccomp_attr_set(ctx, LibSeccomp.ATTR_CTL_OPTIMIZE, 2);
            int token = Arches.token(arch);
            int nativeToken = lib.seccomp_arch_native();
            if (token != nativeToken) {
                check(lib.seccomp_arch_add(ctx, token), "seccomp_arch_add", arch);
                check(lib.seccomp_arch_remove(ctx, nativeToken), "seccomp_arch_remove", arch);
            }
            return ctx;
        } catch (RuntimeException e) {
            lib.seccomp_release(ctx);
            throw e;
        }
    }

    private void addRules(Pointer ctx, String arch, boolean nativeArch) {
        Map<String, Rule> unconditional = new HashMap<>();
        for (Rule r : policy.rules()) {
            if (r.arch().isPresent() && !r.arch().get().equals(arch)) {
                continue;
            }
            if (r.number().isPresent() && !nativeArch) {
                continue; // v1 numbers are the native architecture's
            }
            if (r.conditions().isEmpty()) {
                Rule earlier = unconditional.putIfAbsent(r.syscall(), r);
                if (earlier != null && !earlier.action().equals(r.action())) {
                    // libseccomp would keep one of them silently
                    throw PolicyError.at(source, r.line(), r.syscall(), "Conflicting seccomp rules for \""
                            + r.syscall() + "\" on " + arch + ": line " + earlier.line() + " says " + earlier.action()
                            + ", line " + r.line() + " says " + r.action());
                }
            }
            if (r.action().equals(policy.defaultAction())) {
                LOG.debug("Seccomp rule \"{}\" (line {}) has the default action {}: nothing to add", r.syscall(),
                        r.line(), r.action());
                continue;
            }
            int nr;
            if (r.number().isPresent()) {
                nr = r.number().getAsInt();
            } else {
                int onArch = lib.seccomp_syscall_resolve_name_arch(Arches.token(arch), r.syscall());
                if (onArch == LibSeccomp.NR_ERROR) {
                    warnings.add("Skipping unknown syscall \"" + r.syscall() + "\" for " + arch);
                    continue;
                }
                // the API takes native numbers (pseudo numbers for names the native arch lacks) and translates
                nr = lib.seccomp_syscall_resolve_name(r.syscall());
            }
            add(ctx, r, nr, arch);
        }
    }

    private void add(Pointer ctx, Rule r, int nr, String arch) {
        Memory args = null;
        if (!r.conditions().isEmpty()) {
            args = new Memory((long) ARG_CMP_SIZE * r.conditions().size());
            for (int i = 0; i < r.conditions().size(); i++) {
                ArgCondition c = r.conditions().get(i);
                long off = (long) i * ARG_CMP_SIZE;
                args.setInt(off, c.index());
                args.setInt(off + 4, c.op().code);
                args.setLong(off + 8, c.datumA());
                args.setLong(off + 16, c.datumB());
            }
        }
        int rc = lib.seccomp_rule_add_array(ctx, r.action().value(), nr, r.conditions().size(), args);
        if (rc < 0) {
            throw PolicyError.at(source, r.line(), r.syscall(), "Failed to add seccomp rule \"" + r.syscall()
                    + "\" (" + r.action() + ") for " + arch + ": " + errno(-rc));
        }
    }

    private byte[] export(Pointer ctx) {
        Path tmp = null;
        try {
            tmp = Files.createTempFile("lxj-seccomp-", ".bpf");
            int fd = sys.open(tmp.toString(), OpenFlags.O_WRONLY | OpenFlags.O_TRUNC | OpenFlags.O_CLOEXEC, 0);
            int rc;
            try {
                rc = lib.seccomp_export_bpf(ctx, fd);
            } finally {
                sys.close(fd);
            }
            check(rc, "seccomp_export_bpf", arches.get(0));
            return Files.readAllBytes(tmp);
        } catch (IOException e) {
            throw new BackendException("Failed to export the seccomp filter: " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    LOG.warn("Failed to remove \"{}\": {}", tmp, e.getMessage());
                }
            }
        }
    }

    private static void check(int rc, String call, String arch) {
        if (rc < 0) {
            throw new BackendException("Failed to build the seccomp filter for " + arch + ": " + call + ": "
                    + errno(-rc));
        }
    }

    private static String errno(int number) {
        return Errno.of(number).map(Errno::name).orElse("errno " + number);
    }
}
