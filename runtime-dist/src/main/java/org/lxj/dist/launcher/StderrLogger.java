package org.lxj.dist.launcher;

import java.io.PrintStream;

import org.apache.felix.framework.Logger;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

/**
 * Felix's own log, on stderr. Felix prints to stdout by default, and stdout belongs to the command's
 * output in one-command mode.
 */
final class StderrLogger extends Logger {
    private final PrintStream err;

    StderrLogger(PrintStream err, int level) {
        this.err = err;
        setLogLevel(level);
    }

    @Override
    protected void doLog(Bundle bundle, ServiceReference sr, int level, String msg, Throwable throwable) {
        StringBuilder line = new StringBuilder("lxj: ").append(label(level)).append(": ");
        if (bundle != null) {
            line.append(bundle.getSymbolicName()).append(": ");
        }
        line.append(msg);
        if (throwable != null) {
            line.append(": ").append(throwable);
        }
        err.println(line);
        if (throwable != null && Boolean.getBoolean("lxj.debug")) {
            throwable.printStackTrace(err);
        }
    }

    private static String label(int level) {
        return switch (level) {
            case LOG_ERROR -> "ERROR";
            case LOG_WARNING -> "WARNING";
            case LOG_INFO -> "INFO";
            default -> "DEBUG";
        };
    }
}
