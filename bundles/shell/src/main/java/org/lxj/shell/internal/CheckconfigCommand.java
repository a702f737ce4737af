package org.lxj.shell.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Function;
import org.lxj.api.LxjException;
import org.lxj.linux.check.CheckReport;
import org.lxj.linux.check.CheckReportFormatter;
import org.lxj.linux.check.HostChecker;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code lxc-checkconfig}: what the kernel offers containers, in LXC's sections, coloured only on a terminal.
 * Like LXC's script it takes no options and reads the kernel configuration named by the environment
 * variable {@code CONFIG} when set (the runtime's environment, which is the caller's in one-command mode).
 */
@Component(service = Function.class, property = { "osgi.command.scope=lxc", "osgi.command.function=checkconfig" })
public final class CheckconfigCommand extends LxcCommand {

    static final String DESCRIPTION = "Check the running kernel (or the kernel configuration in $CONFIG) for "
            + "what containers need, as lxc-checkconfig does";

    private final HostChecker checker;
    private final String version;
    private final UnaryOperator<String> environment;

    @Activate
    public CheckconfigCommand(@Reference HostChecker checker, BundleContext context) {
        this(checker, context.getBundle().getVersion().toString(), System::getenv);
    }

    /**
     * @param environment reads an environment variable, null when unset
     */
    public CheckconfigCommand(HostChecker checker, String version, UnaryOperator<String> environment) {
        super("lxc-checkconfig");
        this.checker = checker;
        this.version = version;
        this.environment = environment;
    }

    /** Here for {@code help lxc:checkconfig}; Gogo calls {@link #execute} with the raw arguments. */
    @Descriptor(DESCRIPTION)
    public Object checkconfig(CommandSession session, @Descriptor("ignored, as by lxc-checkconfig") String... args) {
        return execute(session, List.of((Object[]) args));
    }

    @Override
    public int run(CommandIo io, List<String> args) {
        Optional<Path> kernelConfig = Optional.ofNullable(environment.apply("CONFIG"))
                .filter(c -> !c.isEmpty()).map(io::resolve);
        CheckReport report;
        try {
            report = kernelConfig.map(checker::check).orElseGet(checker::check);
        } catch (LxjException e) {
            error(io, String.valueOf(e.getMessage()));
            return e.exitStatus();
        }
        io.out().print(CheckReportFormatter.format(report.withTitle("LXJ version " + version), io.tty()));
        return 0;
    }
}
