package org.lxj.linux.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.lxj.linux.Syscalls;
import org.lxj.linux.Uname;
import org.lxj.linux.check.CheckReport;
import org.lxj.linux.check.CheckSection;
import org.lxj.linux.check.HostChecker;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@link HostChecker} from the kernel configuration where there is one and probes of the running kernel. */
@Component(service = HostChecker.class)
public final class HostCheckerImpl implements HostChecker {

    static final String DEFAULT_CONFIG = "/proc/config.gz";
    private static final List<String> EPILOGUE = List.of(
            "Note : Before booting a new kernel, you can check its configuration",
            "usage : CONFIG=/path/to/config lxc-checkconfig");

    private final Syscalls sys;
    private final HostPaths paths;
    private final List<String> binDirs;

    @Activate
    public HostCheckerImpl(@Reference Syscalls sys) {
        this(sys, HostPaths.live(), binDirs(System.getenv("PATH")));
    }

    HostCheckerImpl(Syscalls sys, HostPaths paths, List<String> binDirs) {
        this.sys = sys;
        this.paths = paths;
        this.binDirs = List.copyOf(binDirs);
    }

    private static List<String> binDirs(String path) {
        String p = path == null || path.isBlank() ? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
                : path;
        return Arrays.stream(p.split(":")).filter(d -> d.startsWith("/")).toList();
    }

    @Override
    public CheckReport check() {
        return check(paths.resolve(DEFAULT_CONFIG), DEFAULT_CONFIG);
    }

    @Override
    public CheckReport check(Path kernelConfig) {
        return check(kernelConfig, kernelConfig.toString());
    }

    /** As lxc-checkconfig: the named configuration, else a search, else (beyond LXC) runtime probes. */
    private CheckReport check(Path file, String location) {
        List<String> preamble = new ArrayList<>();
        Uname u = sys.uname();
        Optional<KernelConfig> config = KernelConfig.read(file, location);
        if (config.isEmpty()) {
            preamble.add("Kernel configuration not found at " + location + "; searching...");
            config = search(u.release());
            preamble.add(config.map(c -> "Kernel configuration found at " + c.location())
                    .orElse("Kernel configuration not found; probing the running kernel"));
        }
        return report(preamble, config, u);
    }

    @Override
    public CheckReport checkRunningKernel() {
        List<String> preamble = new ArrayList<>();
        preamble.add("Probing the running kernel; no kernel configuration is used");
        return report(preamble, Optional.empty(), sys.uname());
    }

    /** lxc-checkconfig's order: the build tree's {@code .config}, overridden by {@code /boot/config-<release>}. */
    private Optional<KernelConfig> search(String release) {
        Optional<KernelConfig> found = Optional.empty();
        for (String candidate : List.of("/lib/modules/" + release + "/build/.config", "/boot/config-" + release)) {
            if (Files.isRegularFile(paths.resolve(candidate))) {
                Optional<KernelConfig> c = KernelConfig.read(paths.resolve(candidate), candidate);
                found = c.isPresent() ? c : found;
            }
        }
        return found;
    }

    private CheckReport report(List<String> preamble, Optional<KernelConfig> config, Uname u) {
        KernelVersion kernel;
        if (config.isPresent()) {
            kernel = config.get().version().orElse(KernelVersion.LATEST);
            if (config.get().version().isEmpty()) {
                preamble.add("WARNING: Unable to detect version from configuration, assuming latest");
                preamble.add("");
            }
        } else {
            kernel = KernelVersion.ofRelease(u.release());
        }
        KernelProbe probe = new KernelProbe(paths, u.release());
        HostProbe host = new HostProbe(paths, sys);
        List<MountEntry> mounts = MountInfo.parse(paths.read("/proc/self/mountinfo").orElse(""));
        List<CheckSection> sections = new ArrayList<>(
                new LxcSections(new Verdicts(config, probe), paths, kernel, mounts, binDirs).sections());
        sections.add(new LxjSection(host, probe).section());
        return new CheckReport(preamble, sections, EPILOGUE);
    }
}
