package org.lxj.network.rtnetlink.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

import org.lxj.linux.CloneFlags;
import org.lxj.linux.MountFlags;
import org.lxj.linux.OpenFlags;
import org.lxj.linux.Syscalls;
import org.lxj.linux.netlink.LinkInfo;
import org.lxj.linux.netlink.RouteSocket;
import org.lxj.linux.netlink.RtRequests;
import org.lxj.spi.backend.Backend;
import org.lxj.spi.backend.BackendException;
import org.lxj.spi.backend.ContainerContext;
import org.lxj.spi.network.NetnsHandle;
import org.lxj.spi.network.NetworkBackend;
import org.lxj.spi.network.NetworkCapability;
import org.lxj.spi.network.NicConfig;
import org.lxj.spi.network.PreparedNic;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code lxc.net.N.type = phys}: the host device {@code link} moves into the container and back after the stop. A
 * virtual device would be destroyed with the container's namespace, so the namespace is pinned by a bind mount
 * under {@code /run/lxj/netns/<device>} until the teardown has moved the device back under its own name, which
 * also works after a runtime restart.
 */
@Component(service = NetworkBackend.class, immediate = true, property = Backend.TYPE_PROPERTY + "=" + PhysBackend.TYPE)
public final class PhysBackend extends NetlinkNicBackend {
    static final String TYPE = "phys";
    static final Path PIN_DIR = Path.of("/run/lxj/netns");
    private static final Logger LOG = LoggerFactory.getLogger(PhysBackend.class);

    private final Path pinDir;

    /** Also sweeps the pins of containers that are gone without a cleanup, giving their devices back. */
    @Activate
    public PhysBackend(@Reference Syscalls sys) {
        this(sys, PIN_DIR);
        try {
            sweep();
        } catch (RuntimeException e) {
            LOG.warn("Failed to sweep \"{}\": {}", PIN_DIR, e.getMessage());
        }
    }

    PhysBackend(Syscalls sys, Path pinDir) {
        super(sys);
        this.pinDir = pinDir;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Set<NetworkCapability> capabilities() {
        return Set.of();
    }

    @Override
    PreparedNic create(ContainerContext context, NicSettings s, RouteSocket host) {
        String link = s.requireLink();
        LinkInfo dev = host.require(link);
        // what the device had on the host, given back by the teardown (also a later runtime's)
        Path orig = origFile(link);
        try {
            Files.createDirectories(pinDir);
            Files.writeString(orig, dev.mtu() + "\t" + dev.address() + "\t" + s.name().orElse(link) + "\n");
        } catch (IOException e) {
            throw new BackendException("Failed to write \"" + orig + "\": " + e.getMessage(), e);
        }
        return new PreparedNic(s.nic().index(), TYPE, "", link, s.name().orElse(link));
    }

    @Override
    public void configure(ContainerContext context, NicConfig nic, PreparedNic prepared, NetnsHandle netns) {
        Path pin = pinDir.resolve(prepared.transitName());
        try {
            Files.createDirectories(pinDir);
            Files.deleteIfExists(pin);
            Files.createFile(pin);
        } catch (IOException e) {
            throw new BackendException("Failed to create \"" + pin + "\": " + e.getMessage(), e);
        }
        sys.mount(netns.namespaceFile().toString(), pin.toString(), "", MountFlags.MS_BIND, null);
        super.configure(context, nic, prepared, netns);
    }

    @Override
    public void teardown(PreparedNic prepared) {
        Path pin = pinDir.resolve(prepared.transitName());
        if (!Files.exists(pin)) {
            try {
                Files.deleteIfExists(origFile(prepared.transitName()));
            } catch (IOException e) {
                LOG.warn("Failed to remove \"{}\": {}", origFile(prepared.transitName()), e.getMessage());
            }
            return;
        }
        int hostNs = sys.open("/proc/thread-self/ns/net", OpenFlags.O_RDONLY | OpenFlags.O_CLOEXEC, 0);
        try {
            int containerNs = sys.open(pin.toString(), OpenFlags.O_RDONLY | OpenFlags.O_CLOEXEC, 0);
            try {
                inNamespace(containerNs, () -> moveBack(prepared, hostNs));
            } finally {
                sys.close(containerNs);
            }
            restore(prepared.transitName());
        } catch (RuntimeException e) {
            // not pinned (a mount that failed) or already released: nothing to give back
            LOG.debug("phys \"{}\": {}", prepared.transitName(), e.getMessage());
        } finally {
            sys.close(hostNs);
            try {
                sys.umount2(pin.toString(), MountFlags.MNT_DETACH);
            } catch (RuntimeException e) {
                LOG.debug("phys \"{}\": {}", prepared.transitName(), e.getMessage());
            }
            try {
                Files.deleteIfExists(pin);
                Files.deleteIfExists(origFile(prepared.transitName()));
                Files.deleteIfExists(pinDir);
            } catch (java.nio.file.DirectoryNotEmptyException e) {
                // another container's device is pinned there
            } catch (IOException e) {
                LOG.warn("Failed to remove \"{}\": {}", pin, e.getMessage());
            }
        }
    }

    /**
     * Gives back every pinned device whose namespace no process is in any more: its container is gone and its
     * cleanup never ran (a crash between the pin and the record). A namespace with a process in it is a running
     * container's and stays. Returns the devices given back.
     */
    java.util.List<String> sweep() {
        if (!Files.isDirectory(pinDir)) {
            return java.util.List.of();
        }
        java.util.Set<String> live = liveNetNamespaces();
        java.util.List<String> swept = new java.util.ArrayList<>();
        try (var files = Files.list(pinDir)) {
            for (Path pin : files.filter(f -> !f.getFileName().toString().endsWith(".orig")).toList()) {
                String device = pin.getFileName().toString();
                String ns;
                try {
                    ns = "net:[" + Files.getAttribute(pin, "unix:ino") + "]";
                } catch (IOException | UnsupportedOperationException e) {
                    continue;
                }
                if (live.contains(ns)) {
                    continue;
                }
                String inside = device;
                try {
                    String[] f = Files.readString(origFile(device)).strip().split("\t");
                    if (f.length == 3) {
                        inside = f[2];
                    }
                } catch (IOException e) {
                    // no record of its name inside: try the host name
                }
                LOG.info("Giving back phys device \"{}\" whose container is gone", device);
                teardown(new PreparedNic(0, TYPE, "", device, inside));
                swept.add(device);
            }
        } catch (IOException e) {
            throw new BackendException("Failed to list \"" + pinDir + "\": " + e.getMessage(), e);
        }
        return swept;
    }

    private static java.util.Set<String> liveNetNamespaces() {
        java.util.Set<String> out = new java.util.HashSet<>();
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(x -> x.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    out.add(Files.readSymbolicLink(p.resolve("ns/net")).toString());
                } catch (IOException | SecurityException e) {
                    // gone meanwhile
                }
            }
        } catch (IOException e) {
            throw new BackendException("Failed to list \"/proc\": " + e.getMessage(), e);
        }
        return out;
    }

    private Path origFile(String device) {
        return pinDir.resolve(device + ".orig");
    }

    /** Gives the returned device back the MTU and MAC address it had before the start. */
    private void restore(String device) {
        Path orig = origFile(device);
        String[] f;
        try {
            if (!Files.exists(orig)) {
                return;
            }
            f = Files.readString(orig).strip().split("\t");
        } catch (IOException e) {
            LOG.warn("Failed to read \"{}\": {}", orig, e.getMessage());
            return;
        }
        try (RouteSocket host = new RouteSocket(sys)) {
            var dev = host.link(device);
            if (dev.isEmpty() || f.length < 2) {
                return;
            }
            RtRequests.LinkChange change = new RtRequests.LinkChange(dev.get().index(), device)
                    .mtu(Integer.parseInt(f[0]));
            if (!f[1].isEmpty() && !f[1].equalsIgnoreCase(dev.get().address())) {
                change.mac(org.lxj.linux.netlink.Macs.parse(f[1]));
            }
            host.apply(change);
        } catch (NumberFormatException e) {
            LOG.warn("Invalid \"{}\": {}", orig, e.getMessage());
        }
    }

    private void moveBack(PreparedNic prepared, int hostNs) {
        try (RouteSocket inside = new RouteSocket(sys)) {
            var dev = inside.link(prepared.containerName()).or(() -> inside.link(prepared.transitName()));
            if (dev.isEmpty()) {
                return;
            }
            LinkInfo d = dev.get();
            inside.apply(new RtRequests.LinkChange(d.index(), d.name()).up(false));
            inside.apply(new RtRequests.LinkChange(d.index(), d.name()).name(prepared.transitName()).netnsFd(hostNs));
            LOG.debug("phys \"{}\" returned to the host", prepared.transitName());
        }
    }

    /** Runs {@code task} on a fresh thread that joins the namespace open as {@code fd}, then ends. */
    private void inNamespace(int fd, Runnable task) {
        FutureTask<Void> f = new FutureTask<>(() -> {
            sys.setns(fd, CloneFlags.CLONE_NEWNET);
            task.run();
            return null;
        });
        Thread t = new Thread(f, "lxj-phys-netns");
        t.start();
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendException("Interrupted while returning a phys device", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new BackendException(e.getCause().toString(), e.getCause());
        }
    }
}
