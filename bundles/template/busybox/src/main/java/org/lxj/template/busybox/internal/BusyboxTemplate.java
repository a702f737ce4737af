package org.lxj.template.busybox.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.lxj.linux.Syscalls;
import org.lxj.spi.backend.Backend;
import org.lxj.spi.backend.BackendException;
import org.lxj.spi.backend.Detection;
import org.lxj.spi.host.HostFacts;
import org.lxj.spi.template.Template;
import org.lxj.spi.template.TemplateRequest;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code lxc-create -t busybox}: a rootfs made from the host's busybox and the config LXC's
 * {@code lxc-busybox} template writes. The busybox must be static, or dynamic with its loader in one of
 * the host library directories the config binds read-only into the container (as LXC relies on).
 */
@Component(service = Template.class, property = Backend.TYPE_PROPERTY + "=" + BusyboxTemplate.TYPE)
public final class BusyboxTemplate implements Template {

    static final String TYPE = "busybox";

    /** Where busybox is looked for after {@code PATH}, as LXC's template adds to its {@code PATH}. */
    static final List<String> FALLBACK_DIRECTORIES = List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin");

    private static final Logger LOG = LoggerFactory.getLogger(BusyboxTemplate.class);

    /**
     * The host as the template sees it.
     *
     * @param searchPath where to look for {@code busybox}, in order
     * @param hostRoot   the directory the host's {@code /lib}, {@code /usr/lib}... are under
     * @param terminal   where slow steps are announced, empty for nowhere
     */
    record Environment(List<Path> searchPath, Path hostRoot, Optional<PrintStream> terminal) {

        static Environment system() {
            List<Path> dirs = new ArrayList<>();
            String path = System.getenv("PATH");
            if (path != null) {
                for (String d : path.split(":")) {
                    if (d.startsWith("/")) {
                        dirs.add(Path.of(d));
                    }
                }
            }
            FALLBACK_DIRECTORIES.stream().map(Path::of).filter(d -> !dirs.contains(d)).forEach(dirs::add);
            return new Environment(List.copyOf(dirs), Path.of("/"), SlowNotice.terminal());
        }
    }

    private final Syscalls sys;
    private final Environment env;

    @Activate
    public BusyboxTemplate(@Reference Syscalls sys) {
        this(sys, Environment.system());
    }

    BusyboxTemplate(Syscalls sys, Environment env) {
        this.sys = sys;
        this.env = env;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Detection detect(HostFacts host) {
        return BusyboxBinary.find(env.searchPath())
                .map(p -> Detection.available("busybox found at \"" + p + "\""))
                .orElseGet(() -> Detection.unavailable("no busybox binary in " + env.searchPath()));
    }

    @Override
    public void install(TemplateRequest request) {
        String name = request.containerName();
        BusyboxArguments args = BusyboxArguments.parse(request.arguments());
        BusyboxBinary busybox = BusyboxBinary.inspect(BusyboxBinary.locate(args.busyboxPath(), env.searchPath()));
        checkLoader(name, busybox);
        List<String> applets = busybox.applets();
        LOG.debug("{}: using busybox \"{}\" ({}, {} applets)", name, busybox.path(),
                busybox.isStatic() ? "static" : "dynamic", applets.size());
        int sourceMode = sys.stat(busybox.path().toString()).permissions();
        try (SlowNotice notice = SlowNotice.start("Installing busybox into \"" + request.rootfs() + "\"",
                env.terminal(), SlowNotice.THRESHOLD)) {
            new BusyboxRootfs(name, new RootfsWriter(sys, request.rootfs())).install(busybox, applets, sourceMode);
        }
        appendConfig(request);
        LOG.debug("{}: busybox template wrote \"{}\" and \"{}\"", name, request.rootfs(), request.configFile());
    }

    /** A dynamic busybox runs only if the container sees its loader through the library binds. */
    private void checkLoader(String name, BusyboxBinary busybox) {
        if (busybox.isStatic()) {
            return;
        }
        String loader = busybox.interpreter().get();
        boolean bound = BusyboxConfig.LIBRARY_DIRECTORIES.stream()
                .anyMatch(d -> loader.startsWith("/" + d + "/") && Files.isDirectory(env.hostRoot().resolve(d)));
        if (!bound) {
            throw new BackendException("Busybox \"" + busybox.path() + "\" is dynamically linked and its loader \""
                    + loader + "\" is outside the host library directories bound into the container; "
                    + "use a static busybox (Debian: busybox-static) with --busybox-path");
        }
        LOG.warn("{}: busybox \"{}\" is dynamically linked; it will use the host libraries bound read-only "
                + "into the container", name, busybox.path());
    }

    private void appendConfig(TemplateRequest request) {
        Path config = request.configFile();
        try {
            String existing = Files.exists(config) ? Files.readString(config, StandardCharsets.UTF_8) : "";
            String text = BusyboxConfig.text(existing, request.containerName(), request.rootfs(), env.hostRoot());
            Files.writeString(config, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new BackendException("Failed to write config file \"" + config + "\": " + e.getMessage(), e);
        }
    }
}
