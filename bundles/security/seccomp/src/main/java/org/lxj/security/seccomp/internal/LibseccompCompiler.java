package org.lxj.security.seccomp.internal;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.lxj.api.UnsupportedFeatureException;
import org.lxj.linux.Syscalls;
import org.lxj.spi.backend.Backend;
import org.lxj.spi.backend.Detection;
import org.lxj.spi.host.HostFacts;
import org.lxj.spi.launch.SeccompFilterFlag;
import org.lxj.spi.launch.SeccompProgram;
import org.lxj.spi.seccomp.CompiledFilter;
import org.lxj.spi.seccomp.SeccompCompiler;
import org.lxj.spi.seccomp.SeccompRequest;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The default seccomp compiler: LXC v1/v2 and OCI policies through libseccomp ({@code libseccomp.so.2}) to raw
 * BPF, with an {@code ENOSYS} prologue for syscalls newer than libseccomp's tables, every program checked with
 * the Java interpreter, and programs cached by {@link SeccompRequest#cacheKey}.
 */
@Component(service = SeccompCompiler.class, property = Backend.TYPE_PROPERTY + "=" + LibseccompCompiler.TYPE)
public final class LibseccompCompiler implements SeccompCompiler {

    static final String TYPE = "libseccomp";
    private static final Logger LOG = LoggerFactory.getLogger(LibseccompCompiler.class);
    private static final int CACHE_SIZE = 32;
    /** Beyond every table's highest number on every architecture libseccomp knows. */
    private static final int SCAN_LIMIT = 1024;

    private final Syscalls sys;
    private final Optional<LibSeccomp> lib;
    private final String version;
    private final String kernelRelease;
    private final Map<String, CompiledFilter> cache = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CompiledFilter> eldest) {
            return size() > CACHE_SIZE;
        }
    };
    private final Map<String, Integer> maxNr = new ConcurrentHashMap<>();
    private int compiles;

    @Activate
    public LibseccompCompiler(@Reference Syscalls sys) {
        this(sys, load());
    }

    LibseccompCompiler(Syscalls sys, Optional<LibSeccomp> lib) {
        this(sys, lib, System.getProperty("os.version", "0"));
    }

    /** @param kernelRelease the running kernel's release, for Docker's {@code minKernel} */
    LibseccompCompiler(Syscalls sys, Optional<LibSeccomp> lib, String kernelRelease) {
        this.sys = sys;
        this.lib = lib;
        this.kernelRelease = kernelRelease;
        this.version = lib.map(LibseccompCompiler::version).orElse("missing");
        LOG.info("Seccomp compiler: libseccomp {}", version);
    }

    private static Optional<LibSeccomp> load() {
        try {
            return Optional.of(LibSeccomp.load());
        } catch (UnsatisfiedLinkError e) {
            LOG.info("libseccomp.so.2 is not available: {}", e.getMessage());
            return Optional.empty();
        }
    }

    private static String version(LibSeccomp l) {
        Pointer v = l.seccomp_version();
        return v == null ? "unknown" : v.getInt(0) + "." + v.getInt(4) + "." + v.getInt(8);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Detection detect(HostFacts host) {
        return lib.isPresent() ? Detection.available("libseccomp " + version)
                : Detection.unavailable("libseccomp.so.2 is not installed");
    }

    @Override
    public String compilerId() {
        return TYPE + "/" + version;
    }

    @Override
    public boolean accepts(SeccompRequest request) {
        return lib.isPresent() && request.architectures().stream().allMatch(a -> Arches.canonical(a).isPresent());
    }

    /** How many programs were compiled rather than taken from the cache. */
    synchronized int compiles() {
        return compiles;
    }

    @Override
    public synchronized CompiledFilter compile(SeccompRequest request) {
        String key = request.cacheKey(compilerId());
        CompiledFilter cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        CompiledFilter made = compile(request, key);
        compiles++;
        cache.put(key, made);
        return made;
    }

    private CompiledFilter compile(SeccompRequest request, String key) {
        LibSeccomp l = lib.orElseThrow(() -> new UnsupportedFeatureException(
                "Failed to compile the seccomp policy: libseccomp.so.2 is not installed"));
        String nativeArch = Arches.canonical(request.nativeArchitecture()).orElseThrow(() ->
                new UnsupportedFeatureException("Unsupported seccomp architecture \"" + request.nativeArchitecture()
                        + "\""));
        Policy policy = PolicyParser.parse(request.policy(), request.source(),
                new DockerTarget(nativeArch, request.capabilities(), kernelRelease));
        policy.rules().stream().filter(r -> r.action().kind() == Action.Kind.NOTIFY).findFirst()
                .filter(r -> !request.notifyAllowed()).ifPresent(r -> {
                    throw PolicyError.at(request.source(), r.line(), r.syscall(), "Invalid seccomp rule \""
                            + r.syscall() + "\": notify needs a notification proxy (lxc.seccomp.notify.proxy)");
                });
        List<String> arches = arches(request, policy);
        FilterBuilder fb = new FilterBuilder(l, sys, policy, arches, request.source());
        byte[] bpf = fb.build();
        int max = -1;
        Action.Kind dk = policy.defaultAction().kind();
        if (dk != Action.Kind.ALLOW && dk != Action.Kind.LOG) {
            max = maxNr(l, arches.get(0));
            bpf = EnosysStub.prepend(bpf, arches.get(0), max);
        }
        FilterCheck.verify(bpf, policy, arches, l::seccomp_syscall_resolve_name_arch, max);
        Set<SeccompFilterFlag> flags = EnumSet.noneOf(SeccompFilterFlag.class);
        flags.addAll(policy.flags());
        if (policy.notifies()) {
            flags.add(SeccompFilterFlag.NEW_LISTENER);
        }
        LOG.debug("Compiled a {} seccomp policy for {}: {} instructions", policy.format(), arches,
                bpf.length / SeccompProgram.INSTRUCTION_SIZE);
        return new CompiledFilter(new SeccompProgram(bpf, flags), key, fb.warnings());
    }

    /** The policy's own architectures (OCI), native first when it lists the native one; else the request's. */
    private static List<String> arches(SeccompRequest request, Policy policy) {
        List<String> requested = request.architectures().stream()
                .map(a -> Arches.canonical(a).orElseThrow(() -> new UnsupportedFeatureException(
                        "Unsupported seccomp architecture \"" + a + "\"")))
                .distinct().toList();
        if (policy.architectures().isEmpty()) {
            return requested;
        }
        List<String> out = new ArrayList<>();
        String nativeArch = requested.get(0);
        if (policy.architectures().contains(nativeArch)) {
            out.add(nativeArch);
        }
        policy.architectures().stream().filter(a -> !a.equals(nativeArch)).sorted().forEach(out::add);
        return out;
    }

    private int maxNr(LibSeccomp l, String arch) {
        return maxNr.computeIfAbsent(arch, a -> {
            int token = Arches.token(a);
            int max = -1;
            for (int nr = 0; nr < SCAN_LIMIT; nr++) {
                Pointer name = l.seccomp_syscall_resolve_num_arch(token, nr);
                if (name != null) {
                    Native.free(Pointer.nativeValue(name));
                    max = nr;
                }
            }
            return max;
        });
    }
}
