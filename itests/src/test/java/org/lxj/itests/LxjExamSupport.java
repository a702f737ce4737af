package org.lxj.itests;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;

import javax.inject.Inject;

import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.util.tracker.ServiceTracker;

/**
 * What every Pax Exam test shares: the framework boots the distribution's own {@code bundle/} directory
 * (the exported lxj-full run bundles), without the interactive shell, with the start levels and
 * properties of {@code conf/framework.properties}.
 */
public abstract class LxjExamSupport {
    /** The built distribution ({@code runtime-dist/target/lxj}), from failsafe's system property. */
    static final Path DIST = Path.of(System.getProperty("lxj.dist.home", "../runtime-dist/target/lxj"))
            .toAbsolutePath().normalize();
    static final long SERVICE_TIMEOUT_MS = 30_000;
    private static final String SHELL_BSN_PREFIX = "org.apache.felix.gogo.jline";

    @Inject
    protected BundleContext context;

    @Configuration
    public Option[] config() {
        File[] jars = DIST.resolve("bundle").toFile().listFiles((d, n) -> n.endsWith(".jar") && !n.startsWith(SHELL_BSN_PREFIX));
        if (jars == null || jars.length == 0) {
            throw new IllegalStateException("No bundles in " + DIST.resolve("bundle") + ": build runtime-dist first");
        }
        Option[] bundles = Arrays.stream(jars).sorted()
                .map(f -> bundle("reference:" + f.toURI()).startLevel(isMediator(f.getName()) ? 1 : 3))
                .toArray(Option[]::new);
        Path logHome = DIST.getParent().getParent().getParent().resolve("itests/target/lxj-home");
        return options(
                composite(bundles),
                frameworkProperty("felix.bootdelegation.implicit").value("false"),
                frameworkProperty("lxj.conf").value(DIST.resolve("conf/lxj.conf").toString()),
                systemProperty("lxj.dist.home").value(DIST.toString()),
                systemProperty("lxj.home").value(logHome.toString()),
                systemProperty("logback.configurationFile").value(DIST.resolve("conf/logback.xml").toString()),
                systemProperty("jna.nosys").value("false"),
                junitBundles(),
                cleanCaches());
    }

    /** SPI Fly and ASM weave slf4j's service loading, so they start first. */
    private static boolean isMediator(String fileName) {
        return fileName.startsWith("org.apache.aries.spifly") || fileName.startsWith("asm-");
    }

    /** Waits (event-driven, with a timeout) for a service matching {@code filter}; fails with the filter. */
    protected Object awaitService(String filter) throws InterruptedException {
        Filter f;
        try {
            f = FrameworkUtil.createFilter(filter);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(filter, e);
        }
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context, f, null);
        tracker.open(true);
        try {
            Object service = tracker.waitForService(SERVICE_TIMEOUT_MS);
            if (service == null) {
                throw new AssertionError("No service " + filter + " after " + SERVICE_TIMEOUT_MS + " ms");
            }
            return service;
        } finally {
            tracker.close();
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
