package org.lxj.template.local.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.lxj.spi.backend.Backend;
import org.lxj.spi.backend.BackendException;
import org.lxj.spi.backend.Detection;
import org.lxj.spi.host.HostFacts;
import org.lxj.spi.template.Template;
import org.lxj.spi.template.TemplateRequest;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code lxc-create -t local -- -m META.tar.xz -f ROOTFS.tar.xz}: a container from an image kept in two
 * local tarballs, as LXC's {@code lxc-local}. The rootfs tarball is unpacked with owners, modes and
 * devices; the metadata's {@code config} becomes the container's config (with the placeholders
 * {@code LXC_NAME}, {@code LXC_PATH}, {@code LXC_ROOTFS}, {@code LXC_TEMPLATE_CONFIG},
 * {@code LXC_HOOK_DIR} replaced there, in its {@code fstab} and in the rootfs files its {@code templates}
 * lists); {@code excludes} names paths left out of the rootfs; {@code create-message} is shown.
 */
@Component(service = Template.class, property = Backend.TYPE_PROPERTY + "=" + LocalTemplate.TYPE)
public final class LocalTemplate implements Template {

    static final String TYPE = "local";

    private static final Logger LOG = LoggerFactory.getLogger(LocalTemplate.class);

    /**
     * The host as the template sees it.
     *
     * @param tar            the tar binary
     * @param uidMap         {@code /proc/self/uid_map}: a full identity map means "system" mode, else "user"
     * @param templateConfig the value of {@code LXC_TEMPLATE_CONFIG}
     * @param hookDir        the value of {@code LXC_HOOK_DIR}
     * @param out            where the image's create-message goes
     * @param terminal       where slow steps are announced, empty for nowhere
     */
    record Environment(String tar, Path uidMap, String templateConfig, String hookDir, PrintStream out,
            Optional<PrintStream> terminal) {

        static Environment system() {
            return new Environment("tar", Path.of("/proc/self/uid_map"), "/usr/share/lxc/config",
                    "/usr/share/lxc/hooks", System.out, SlowNotice.terminal());
        }
    }

    private final Environment env;

    @Activate
    public LocalTemplate() {
        this(Environment.system());
    }

    LocalTemplate(Environment env) {
        this.env = env;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Detection detect(HostFacts host) {
        for (String dir : Optional.ofNullable(System.getenv("PATH")).orElse("/usr/bin:/bin").split(":")) {
            Path tar = Path.of(dir.isEmpty() ? "." : dir, env.tar());
            if (Files.isExecutable(tar)) {
                return Detection.available("tar found at \"" + tar + "\"");
            }
        }
        return Detection.unavailable("no \"" + env.tar() + "\" binary on PATH");
    }

    @Override
    public void install(TemplateRequest request) {
        String name = request.containerName();
        LocalArguments args = LocalArguments.parse(request.arguments());
        Tar tar = new Tar(env.tar());
        Path containerDir = request.configFile().toAbsolutePath().getParent();
        Substitutions subst = new Substitutions(name, containerDir.toString(), request.rootfs().toString(),
                env.templateConfig(), env.hookDir());
        try (ImageMetadata meta = ImageMetadata.unpack(tar, args.metadata(), mode())) {
            String distribution = meta.text("config").orElseThrow(() -> new BackendException(
                    "Metadata tarball \"" + args.metadata() + "\" has no \"config\" file"));
            unpackRootfs(name, tar, args.fstree(), request.rootfs(), meta.lines("excludes"));
            Optional<Path> fstab = meta.file("fstab");
            Path fstabCopy = containerDir.resolve("fstab");
            String config = LocalConfig.rewrite(read(request.configFile()), distribution, name,
                    fstab.map(f -> fstabCopy.toString()));
            write(request.configFile(), subst.apply(config));
            if (fstab.isPresent()) {
                write(fstabCopy, subst.apply(read(fstab.get())));
            }
            editRootfs(name, request.rootfs(), meta.lines("templates"), subst.bytewise());
            meta.text("create-message").ifPresent(m -> {
                LOG.info("{}: image message: {}", name, m.strip());
                env.out().print("\n---\n" + m + (m.endsWith("\n") ? "" : "\n"));
                env.out().flush();
            });
        }
        LOG.debug("{}: image \"{}\" unpacked into \"{}\"", name, args.fstree(), request.rootfs());
    }

    private void unpackRootfs(String name, Tar tar, Path fstree, Path rootfs, List<String> excludes) {
        List<String> options = new ArrayList<>();
        options.add("--anchored");
        excludes.forEach(e -> options.add("--exclude=" + e));
        options.add("--numeric-owner");
        options.add("-p");
        try (SlowNotice notice = SlowNotice.start("Unpacking the rootfs", env.terminal(), SlowNotice.THRESHOLD)) {
            tar.extract("rootfs tarball", fstree, rootfs, options);
        }
        Path pts = rootfs.resolve("dev/pts");
        try {
            if (Files.isSymbolicLink(rootfs.resolve("dev")) || Files.isSymbolicLink(pts)) {
                throw new BackendException("Rootfs tarball \"" + fstree + "\" makes \"/dev\" or \"/dev/pts\" a symlink");
            }
            Files.createDirectories(pts);
        } catch (IOException e) {
            throw new BackendException("Failed to create directory \"" + pts + "\": " + e.getMessage(), e);
        }
        LOG.debug("{}: rootfs tarball \"{}\" unpacked ({} excludes)", name, fstree, excludes.size());
    }

    /** Replaces the placeholders in the rootfs files the image lists, and keeps mingetty from hanging up. */
    private static void editRootfs(String name, Path rootfs, List<String> listed, Substitutions subst) {
        RootfsFiles files = new RootfsFiles(rootfs);
        for (String entry : listed) {
            Optional<Path> file = files.regularFile(entry);
            if (file.isPresent()) {
                RootfsFiles.edit(file.get(), subst::apply);
            } else {
                LOG.debug("{}: template file \"{}\" skipped: missing, not a regular file or behind a symlink",
                        name, entry);
            }
        }
        // mingetty's vhangup(2) fails in a user namespace (CentOS, Oracle images), as lxc-local notes
        files.regularFile("/etc/init/tty.conf")
                .ifPresent(f -> RootfsFiles.edit(f, t -> t.replace("mingetty", "mingetty --nohangup")));
    }

    /** "system" in the initial user namespace (a full identity map), "user" inside another one. */
    String mode() {
        try {
            if (!Files.exists(env.uidMap())) {
                return "system";
            }
            for (String line : Files.readAllLines(env.uidMap())) {
                if (List.of(line.trim().split("\\s+")).equals(List.of("0", "0", "4294967295"))) {
                    return "system";
                }
            }
            return "user";
        } catch (IOException e) {
            throw new BackendException("Failed to read \"" + env.uidMap() + "\": " + e.getMessage(), e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BackendException("Failed to read \"" + file + "\": " + e.getMessage(), e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BackendException("Failed to write \"" + file + "\": " + e.getMessage(), e);
        }
    }
}
