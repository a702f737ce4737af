package org.lxj.security.seccomp.internal;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The part of libseccomp's C API ({@code libseccomp.so.2}, runtime library only) the compiler uses. This bundle's
 * own native dependency: it builds and exports filters in memory and never loads one into the JVM, so it is not a
 * syscall wrapper and stays here rather than in {@code org.lxj.linux}. Functions return negative errno values on
 * failure.
 */
interface LibSeccomp extends Library {

    /** {@code SCMP_FLTATR_ACT_BADARCH}. */
    int ATTR_ACT_BADARCH = 2;
    /** {@code SCMP_FLTATR_CTL_NNP}. */
    int ATTR_CTL_NNP = 3;
    /** {@code SCMP_FLTATR_CTL_OPTIMIZE} (libseccomp 2.5): 2 lays the syscalls out as a binary tree. */
    int ATTR_CTL_OPTIMIZE = 8;
    /** {@code __NR_SCMP_ERROR}: the name is unknown. */
    int NR_ERROR = -1;

    static LibSeccomp load() {
        return Native.load("seccomp", LibSeccomp.class);
    }

    /** {@code const struct scmp_version *}: three {@code unsigned int}s. */
    Pointer seccomp_version();

    Pointer seccomp_init(int defaultAction);

    void seccomp_release(Pointer ctx);

    int seccomp_attr_set(Pointer ctx, int attr, int value);

    int seccomp_arch_add(Pointer ctx, int token);

    int seccomp_arch_remove(Pointer ctx, int token);

    int seccomp_arch_exist(Pointer ctx, int token);

    int seccomp_arch_native();

    int seccomp_syscall_resolve_name(String name);

    int seccomp_syscall_resolve_name_arch(int token, String name);

    /** Returns a {@code malloc}ed name the caller frees, or null. */
    Pointer seccomp_syscall_resolve_num_arch(int token, int num);

    /** {@code args}: {@code count} {@code struct scmp_arg_cmp} of 24 bytes, or null. */
    int seccomp_rule_add_array(Pointer ctx, int action, int syscall, int count, Pointer args);

    int seccomp_merge(Pointer dst, Pointer src);

    int seccomp_export_bpf(Pointer ctx, int fd);
}
