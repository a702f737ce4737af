package org.lxj.dist.launcher;

import java.io.InputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

import org.osgi.framework.launch.Framework;

/**
 * The LXJ launcher: boots Apache Felix with the distribution's bundles.
 * <ul>
 * <li>{@code lxj} starts the runtime with the interactive Gogo shell (prompt {@code lxj> }).</li>
 * <li>{@code lxj COMMAND ARGS...} boots the runtime without the console, runs one command in a Gogo
 * session bound to this process's stdin, stdout and stderr, prints its result if it returned one, stops
 * the runtime and exits with the command's status (see {@link GogoRunner} for the exit status
 * convention and the session variable {@code lxj.exit}). Stdout carries only the command's output.</li>
 * <li>{@code lxj -c SCRIPT} runs a Gogo script the same way.</li>
 * <li>{@code lxj --daemon} runs the runtime headless as the daemon with its control socket (see {@link Daemon});
 * {@code bin/lxj daemon} starts it in the background.</li>
 * </ul>
 * The distribution home is the system property {@code lxj.home}, or the parent of the directory holding
 * this launcher's jar. A runtime that cannot start (a bundle that does not resolve) exits with status 1
 * and the resolver's reason.
 */
public final class Main {
    static final int EXIT_LAUNCH_FAILED = 1;
    static final String PRODUCT_NAME = "lxj.product.name";
    static final String PROFILE = "lxj.profile";

    private Main() {
    }

    public static void main(String[] argv) {
        // Gogo replaces System.in/out/err with its thread-bound streams once it runs: keep the originals.
        InputStream in = System.in;
        PrintStream out = System.out;
        PrintStream err = System.err;
        int status;
        try {
            status = run(List.of(argv), in, out, err);
        } catch (LaunchException e) {
            err.println("lxj: " + e.getMessage());
            if (Boolean.getBoolean("lxj.debug") && e.getCause() != null) {
                e.getCause().printStackTrace(err);
            }
            status = EXIT_LAUNCH_FAILED;
        }
        out.flush();
        err.flush();
        System.exit(status);
    }

    private static int run(List<String> args, InputStream in, PrintStream out, PrintStream err)
            throws LaunchException {
        if (!args.isEmpty() && (args.get(0).equals("-h") || args.get(0).equals("--help"))) {
            out.println("Usage: lxj                  start the runtime with its shell (prompt lxj> )");
            out.println("       lxj COMMAND [ARG]... run one command (e.g. lxj lxc-ls -f) and exit with its status");
            out.println("       lxj -c SCRIPT        run a Gogo script and exit with its status");
            out.println("       lxj --daemon         run the runtime as the daemon (bin/lxj daemon starts it in the background)");
            out.println("       lxj --version        print the product name, version and distribution profile");
            return 0;
        }
        if (!args.isEmpty() && args.get(0).equals("--version")) {
            out.println(version(LaunchConfig.load(home())));
            return 0;
        }
        if (!args.isEmpty() && args.get(0).equals("--daemon")) {
            if (args.size() != 1) {
                err.println("lxj: --daemon takes no arguments");
                return 1;
            }
            return new Daemon(LaunchConfig.load(home()), err).run(in, out);
        }
        if (!args.isEmpty() && args.get(0).equals("-c") && args.size() != 2) {
            err.println("lxj: -c takes exactly one argument, the script");
            return 1;
        }
        LaunchConfig config = LaunchConfig.load(home());
        FrameworkBoot boot = new FrameworkBoot(config, err);
        if (args.isEmpty()) {
            return interactive(boot);
        }
        try {
            Framework fw = boot.start(false);
            GogoRunner runner = new GogoRunner(fw.getBundleContext(),
                    config.home().resolve("etc/gosh_profile"), in, out, err);
            return args.get(0).equals("-c")
                    ? runner.runScript(args.get(1))
                    : runner.runCommand(args.get(0), args.subList(1, args.size()));
        } finally {
            boot.stop();
        }
    }

    /**
     * {@code NAME VERSION (profile PROFILE)}: the name is {@code lxj.product.name} of
     * {@code conf/framework.properties} (a vendor's branding), the version this launcher's, the profile
     * {@code lxj.profile} as the build packed it.
     */
    static String version(LaunchConfig config) {
        String version = Main.class.getPackage().getImplementationVersion();
        return config.property(PRODUCT_NAME, "LXJ") + " " + (version == null ? "unknown" : version)
                + " (profile " + config.property(PROFILE, "unknown") + ")";
    }

    /** Runs until the shell's {@code exit} (or the last bundle) stops the framework. */
    private static int interactive(FrameworkBoot boot) throws LaunchException {
        Framework fw = boot.start(true);
        try {
            fw.waitForStop(0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static Path home() throws LaunchException {
        String configured = System.getProperty("lxj.home");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        try {
            Path jar = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return jar.getParent().getParent().toAbsolutePath().normalize();
        } catch (URISyntaxException | RuntimeException e) {
            throw new LaunchException("Cannot find the distribution home (" + e.getMessage()
                    + "); set -Dlxj.home", e);
        }
    }
}
