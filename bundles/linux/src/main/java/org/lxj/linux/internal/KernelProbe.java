package org.lxj.linux.internal;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Probes of the running kernel for lxc-checkconfig's features when no kernel configuration exists:
 * namespace files, {@code /proc/cgroups}, {@code /proc/filesystems}, netfilter registrations,
 * {@code /proc/kallsyms}, {@code /sys/module} and the module lists under {@code /lib/modules}.
 * Never loads a module or creates a device.
 */
final class KernelProbe {

    private final HostPaths paths;
    private final String release;
    private Set<String> symbols;

    KernelProbe(HostPaths paths, String release) {
        this.paths = paths;
        this.release = release;
    }

    /** The text of {@code abs}, empty when it cannot be read. */
    Optional<String> read(String abs) {
        return paths.read(abs);
    }

    /** The running kernel's release ({@code uname -r}). */
    String release() {
        return release;
    }

    Evidence path(String abs) {
        return paths.exists(abs) ? Evidence.present(abs + " exists") : Evidence.absent(abs + " does not exist");
    }

    Evidence anyPath(String... abs) {
        for (String a : abs) {
            if (paths.exists(a)) {
                return Evidence.present(a + " exists");
            }
        }
        return Evidence.absent(String.join(", ", abs) + " do not exist");
    }

    /** A cgroup controller compiled in: {@code /proc/cgroups} lists it (v1 and v2 hosts alike). */
    Evidence cgroupController(String name) {
        Optional<String> text = paths.read("/proc/cgroups");
        if (text.isEmpty()) {
            return Evidence.unknown("/proc/cgroups is not readable");
        }
        boolean listed = text.get().lines().filter(l -> !l.startsWith("#"))
                .anyMatch(l -> l.split("\\s+")[0].equals(name));
        return listed ? Evidence.present("/proc/cgroups lists " + name)
                : Evidence.absent("/proc/cgroups does not list " + name);
    }

    Evidence filesystem(String name) {
        Optional<String> text = paths.read("/proc/filesystems");
        if (text.isEmpty()) {
            return Evidence.unknown("/proc/filesystems is not readable");
        }
        boolean listed = text.get().lines().map(l -> l.trim().split("\\s+"))
                .anyMatch(f -> f[f.length - 1].equals(name));
        return listed ? Evidence.present("/proc/filesystems lists " + name)
                : absentUnlessModule(name, "/proc/filesystems does not list " + name);
    }

    /** An x_tables target or match registered for a family ({@code /proc/net/ip_tables_targets}). */
    Evidence netfilter(String file, String name, String module) {
        Optional<String> text = paths.read(file);
        if (text.isPresent() && text.get().lines().anyMatch(l -> l.trim().equals(name))) {
            return Evidence.present(file + " lists " + name);
        }
        Evidence mod = module(module);
        if (mod.isPresent()) {
            return mod;
        }
        if (text.isEmpty() && paths.exists(file)) {
            return Evidence.unknown(file + " is not readable");
        }
        return absentUnlessModule(module, file + (text.isEmpty() ? " does not exist" : " does not list " + name));
    }

    /** A kernel object by a symbol it defines and the module it would be. */
    Evidence kernelObject(String symbol, String module) {
        if (symbols().contains(symbol)) {
            return Evidence.present("/proc/kallsyms has " + symbol);
        }
        Evidence mod = module(module);
        if (mod.isPresent()) {
            return mod;
        }
        return symbols().isEmpty() ? Evidence.unknown("/proc/kallsyms is not readable")
                : absentUnlessModule(module, "/proc/kallsyms has no " + symbol);
    }

    /** A syscall the kernel implements, by its entry symbol ({@code __x64_sys_eventfd2}). */
    Evidence syscall(String name) {
        Set<String> s = symbols();
        if (s.isEmpty()) {
            return Evidence.unknown("/proc/kallsyms is not readable");
        }
        String suffix = "_sys_" + name;
        boolean found = s.contains("sys_" + name) || s.stream().anyMatch(n -> n.endsWith(suffix));
        return found ? Evidence.present("/proc/kallsyms has the " + name + " syscall")
                : Evidence.absent("/proc/kallsyms has no " + name + " syscall");
    }

    /** Whether the kernel loads modules at all ({@code /proc/modules} exists), as lxc-checkconfig asks. */
    boolean moduleSupport() {
        return paths.exists("/proc/modules");
    }

    /** lxc-checkconfig's {@code lsmod | grep name}: any loaded module whose line contains {@code name}. */
    boolean moduleLoaded(String name) {
        return paths.read("/proc/modules").orElse("").lines().anyMatch(l -> l.contains(name));
    }

    /** {@code /sys/module/<name>}, or the module built in or installed for this release. */
    Evidence module(String name) {
        String sysModule = "/sys/module/" + name.replace('-', '_');
        if (paths.exists(sysModule)) {
            return Evidence.present(sysModule + " exists");
        }
        String dir = "/lib/modules/" + release;
        for (String list : new String[] {"modules.builtin", "modules.dep"}) {
            if (listsModule(paths.read(dir + "/" + list).orElse(""), name)) {
                return Evidence.present(dir + "/" + list + " lists " + name);
            }
        }
        return Evidence.absent(sysModule + " does not exist");
    }

    /**
     * Absence is only certain when the kernel cannot load modules or its module list was readable;
     * otherwise the object may be an unloaded module this host did not install a list for.
     */
    private Evidence absentUnlessModule(String module, String seen) {
        if (!moduleSupport() || paths.exists("/lib/modules/" + release + "/modules.dep")) {
            return Evidence.absent(seen + (moduleSupport() ? "" : "; the kernel has no module support"));
        }
        return Evidence.unknown(seen + "; " + module + " may be an uninstalled module");
    }

    private static boolean listsModule(String list, String name) {
        String n = name.replace('-', '_');
        return list.lines().map(l -> l.split(":")[0].trim()).anyMatch(path -> {
            String base = path.substring(path.lastIndexOf('/') + 1);
            int ko = base.indexOf(".ko");
            return ko > 0 && base.substring(0, ko).replace('-', '_').equals(n);
        });
    }

    private Set<String> symbols() {
        if (symbols == null) {
            Set<String> s = new HashSet<>();
            paths.read("/proc/kallsyms").orElse("").lines().forEach(l -> {
                String[] f = l.split("\\s+");
                if (f.length >= 3) {
                    s.add(f[2]);
                }
            });
            symbols = s;
        }
        return symbols;
    }
}
