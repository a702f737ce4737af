package org.lxj.spi.seccomp;

import org.lxj.spi.backend.Backend;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Compiles a seccomp policy to classic BPF in Java (through libseccomp or a pure-Java emitter); the launcher
 * only loads the bytes. A flat table: a probe ({@link #detect}, {@link #accepts}), one verb, an identity.
 * <p>
 * Contract:
 * <ul>
 * <li>{@link #compile} is pure: the same request gives the same bytes, so core may cache by
 * {@link CompiledFilter#cacheKey()}; it never loads anything into the JVM.</li>
 * <li>Syscalls missing from the compiler's tables are skipped with a warning, and the program returns
 * {@code ENOSYS} for syscall numbers above the highest it knows, so new glibc fallbacks keep working.</li>
 * <li>Every architecture not in the request gets the bad-architecture action ({@code KILL_PROCESS}), and on
 * x86_64 the x32 bit is checked unless x32 is requested.</li>
 * <li>A policy error is a {@link org.lxj.api.ConfigException} naming the source file, the line and the
 * rule.</li>
 * </ul>
 * A {@code nop} compiler with the lowest ranking accepts only the empty policy; a configured profile with
 * no real compiler installed fails with {@link org.lxj.api.BackendNotFoundException} ({@code seccomp}).
 */
@ConsumerType
public interface SeccompCompiler extends Backend {

    /** The compiler's identity for cache keys: type and version of what generates the code. */
    String compilerId();

    /** Whether this compiler understands the request's policy format and architectures. */
    boolean accepts(SeccompRequest request);

    /**
     * Compiles the request.
     *
     * @throws org.lxj.api.ConfigException          for a policy error, with file and line
     * @throws org.lxj.api.UnsupportedFeatureException for a rule the host cannot enforce (an action missing from
     *                                              {@link org.lxj.spi.host.HostFacts#seccompActions()})
     */
    CompiledFilter compile(SeccompRequest request);
}
