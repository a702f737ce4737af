package org.lxj.dist.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * Boots Felix with the distribution's {@code bundle/} directory: installs every jar by reference, gives
 * each its start level, resolves them all up front (a bundle that does not resolve stops the launch with
 * the resolver's reason), starts them eagerly and raises the start level.
 */
final class FrameworkBoot {
    private static final long START_TIMEOUT_SECONDS = 120;

    private final LaunchConfig config;
    private final PrintStream err;
    private Framework framework;
    private Path storage;

    FrameworkBoot(LaunchConfig config, PrintStream err) {
        this.config = config;
        this.err = err;
    }

    /**
     * Starts the framework and brings it to {@code targetLevel}.
     *
     * @param withShell whether the interactive shell bundle is started (it opens the console)
     */
    Framework start(boolean withShell) throws LaunchException {
        return start(withShell, Map.of());
    }

    /**
     * Starts the framework with {@code extra} framework properties on top of the configured ones.
     *
     * @param withShell whether the interactive shell bundle is started (it opens the console)
     */
    Framework start(boolean withShell, Map<String, String> extra) throws LaunchException {
        // JLine finds its terminal providers through the TCCL, and falls back to its own loader only
        // when it is null; threads the framework starts inherit it.
        Thread.currentThread().setContextClassLoader(null);
        Map<String, Object> props = config.frameworkProperties();
        props.putAll(extra);
        storage = createStorage();
        props.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        props.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        props.put("felix.log.logger", new StderrLogger(err, logLevel(props)));
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class, getClass().getClassLoader())
                .findFirst().orElseThrow(() -> new LaunchException("No OSGi framework on the class path"));
        framework = factory.newFramework(toStrings(props));
        try {
            framework.init();
            BundleContext ctx = framework.getBundleContext();
            ctx.addFrameworkListener(this::report);
            List<Bundle> bundles = install(ctx, withShell);
            resolveOrFail(bundles);
            for (Bundle b : bundles) {
                if (withShell || !LaunchConfig.SHELL_BSN.equals(b.getSymbolicName())) {
                    b.start();                    // eager: really starts when its level is reached
                }
            }
            framework.start();
            raiseStartLevel(withShell ? config.shellLevel() : config.runtimeLevel());
            return framework;
        } catch (BundleException e) {
            throw new LaunchException("Failed to start the runtime: " + e.getMessage(), e);
        }
    }

    private static int logLevel(Map<String, Object> props) {
        Object level = props.get("felix.log.level");
        try {
            return level == null ? 1 : Integer.parseInt(level.toString());
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static Map<String, String> toStrings(Map<String, Object> props) {
        // Felix reads objects from the map (the logger); the API's type is Map<String, String>.
        @SuppressWarnings({"unchecked", "rawtypes"})
        Map<String, String> raw = (Map) props;
        return raw;
    }

    /**
     * A private framework cache per process, so concurrent commands never share one. Its name carries the pid, so
     * the caches of runtimes that were killed (no shutdown hook ran) are removed by the next one.
     */
    private Path createStorage() throws LaunchException {
        try {
            Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
            staleCaches(tmp, pid -> ProcessHandle.of(pid).isPresent()).forEach(FrameworkBoot::deleteTree);
            Path dir = Files.createTempDirectory(tmp, CACHE_PREFIX + ProcessHandle.current().pid() + "-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir), "lxj-cache-cleanup"));
            return dir;
        } catch (IOException e) {
            throw new LaunchException("Failed to create the framework cache: " + e.getMessage(), e);
        }
    }

    private List<Bundle> install(BundleContext ctx, boolean withShell) throws LaunchException, BundleException {
        Path dir = config.bundleDir();
        List<Path> jars;
        try (Stream<Path> s = Files.list(dir)) {
            jars = s.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new LaunchException("Failed to list bundles in \"" + dir + "\": " + e.getMessage(), e);
        }
        if (jars.isEmpty()) {
            throw new LaunchException("No bundles in \"" + dir + "\"");
        }
        List<Bundle> bundles = new ArrayList<>();
        for (Path jar : jars) {
            Bundle b = ctx.installBundle("reference:" + jar.toUri());
            b.adapt(BundleStartLevel.class).setStartLevel(config.startLevel(b.getSymbolicName()));
            bundles.add(b);
        }
        if (withShell && bundles.stream().noneMatch(b -> LaunchConfig.SHELL_BSN.equals(b.getSymbolicName()))) {
            throw new LaunchException("This distribution (profile " + config.property(Main.PROFILE, "unknown")
                    + ") has no interactive shell: run lxj COMMAND [ARG]..., or lxj daemon");
        }
        return bundles;
    }

    /** Fails the launch when any bundle does not resolve, with the resolver's reason for each. */
    private void resolveOrFail(List<Bundle> bundles) throws LaunchException {
        framework.adapt(FrameworkWiring.class).resolveBundles(bundles);
        List<String> failures = new ArrayList<>();
        for (Bundle b : bundles) {
            if (b.getState() == Bundle.INSTALLED && b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                failures.add(b.getSymbolicName() + " " + b.getVersion() + ": " + resolutionError(b));
            }
        }
        if (!failures.isEmpty()) {
            throw new LaunchException("Failed to resolve bundles:\n  " + String.join("\n  ", failures));
        }
    }

    /**
     * Felix explains a failed resolution only when asked to start the bundle, which it refuses before
     * checking resolution while the bundle's start level is above the framework's: move the (failing)
     * bundle to level 1 of a started framework, then ask.
     */
    private String resolutionError(Bundle b) {
        try {
            if (framework.getState() != Bundle.ACTIVE) {
                framework.start();
            }
            b.adapt(BundleStartLevel.class).setStartLevel(1);
            b.start(Bundle.START_TRANSIENT);
            return "does not resolve";
        } catch (BundleException | IllegalStateException e) {
            return e.getMessage();
        }
    }

    private void raiseStartLevel(int level) throws LaunchException {
        CountDownLatch reached = new CountDownLatch(1);
        framework.adapt(FrameworkStartLevel.class).setStartLevel(level, e -> reached.countDown());
        try {
            if (!reached.await(START_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new LaunchException("Start level " + level + " not reached after " + START_TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaunchException("Interrupted while starting", e);
        }
    }

    /** Felix reports failures of ServiceFactory and bundle activation only as events; show them. */
    private void report(FrameworkEvent event) {
        if (event.getType() == FrameworkEvent.ERROR) {
            Bundle b = event.getBundle();
            Throwable t = event.getThrowable();
            err.println("lxj: ERROR: " + (b == null ? "framework" : b.getSymbolicName()) + ": "
                    + (t == null ? "unknown error" : rootMessage(t)));
            if (t != null && Boolean.getBoolean("lxj.debug")) {
                t.printStackTrace(err);
            }
        }
    }

    static String rootMessage(Throwable t) {
        Throwable cause = t;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause == t ? String.valueOf(t) : t + " (cause: " + cause + ")";
    }

    /** Stops the framework and waits for it. */
    void stop() {
        if (framework == null) {
            return;
        }
        try {
            framework.stop();
            framework.waitForStop(TimeUnit.SECONDS.toMillis(30));
        } catch (BundleException e) {
            err.println("lxj: Failed to stop the runtime: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static final String CACHE_PREFIX = "lxj-felix-";

    /** The framework caches in {@code tmp} whose runtime is gone: named {@code lxj-felix-<pid>-…}, pid not alive. */
    static List<Path> staleCaches(Path tmp, LongPredicate alive) {
        List<Path> stale = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(tmp, CACHE_PREFIX + "*")) {
            for (Path p : s) {
                String rest = p.getFileName().toString().substring(CACHE_PREFIX.length());
                int dash = rest.indexOf('-');
                if (dash > 0 && rest.substring(0, dash).chars().allMatch(Character::isDigit)
                        && !alive.test(Long.parseLong(rest.substring(0, dash))) && Files.isDirectory(p)) {
                    stale.add(p);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // nothing to sweep, or a name that is not ours: a leftover cache is harmless
        }
        return stale;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover cache in the temp directory is harmless
        }
    }
}
