package org.lxj.launcher.internal;

import static org.lxj.launcher.Protocol.*;

import java.io.IOException;
import java.nio.file.Path;

import org.lxj.launcher.LaunchException;
import org.lxj.launcher.LaunchOptions;
import org.lxj.launcher.MonitorClient;
import org.lxj.launcher.PreparedLaunch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A created container waiting for START, holding the JVM's end of the control socket. */
final class NativePreparedLaunch implements PreparedLaunch {
    private static final Logger LOG = LoggerFactory.getLogger(NativePreparedLaunch.class);

    private final String name;
    private final Path runDir;
    private final int monitorPid;
    private final int initPid;
    private final boolean createdRunDir;
    private final Runnable afterStart;
    /** START went with the caller's early start: {@link #start()} only waits for STARTED. */
    private final boolean startSent;
    private ControlSocket ctl;

    /** @param afterStart run once, when the container is started or aborted (the launcher's next spare) */
    NativePreparedLaunch(String name, ControlSocket ctl, Path runDir, int monitorPid, int initPid, boolean createdRunDir,
            boolean startSent, Runnable afterStart) {
        this.startSent = startSent;
        this.afterStart = afterStart;
        this.name = name;
        this.ctl = ctl;
        this.runDir = runDir;
        this.monitorPid = monitorPid;
        this.initPid = initPid;
        this.createdRunDir = createdRunDir;
    }

    @Override
    public int monitorPid() {
        return monitorPid;
    }

    @Override
    public int initPid() {
        return initPid;
    }

    @Override
    public Path runDir() {
        return runDir;
    }

    @Override
    public synchronized MonitorClient start() throws LaunchException {
        if (ctl == null) {
            throw new IllegalStateException("Container \"" + name + "\" was already started or aborted");
        }
        try {
            if (!startSent) {
                ctl.send(MSG_START, new byte[0]);
            }
            ControlSocket.Frame f = ctl.receive(NativeLauncher.HANDSHAKE_TIMEOUT);
            if (f != null && f.type() == MSG_STARTED) {
                ctl.close();
                ctl = null;
                afterStart.run();
                LOG.debug("{}: started, init {}", name, initPid);
                return new MonitorClient(runDir);
            }
            LaunchException e = f != null && f.type() == MSG_ERROR ? ControlSocket.error(f.payload())
                    : new LaunchException(STEP_EXEC, 0, "The monitor of \"" + name + "\" exited while starting it");
            cleanUp();
            throw e;
        } catch (IOException e) {
            cleanUp();
            throw new LaunchException(STEP_WAIT_START, 0, "Failed to start \"" + name + "\": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void abort() {
        if (ctl != null && startSent) {
            // init was let run at once: past its exec it no longer listens to this socket, its monitor does
            try {
                MonitorClient c = start();
                c.kill(LaunchOptions.SIGKILL, NativeLauncher.HANDSHAKE_TIMEOUT);
                c.awaitExit(NativeLauncher.HANDSHAKE_TIMEOUT);
            } catch (LaunchException e) {
                LOG.debug("{}: aborted, its exec had failed: {}", name, e.getMessage());
            } catch (IOException e) {
                LOG.warn("{}: failed to kill the container on abort: {}", name, e.getMessage());
            }
            return;
        }
        cleanUp();
    }

    /** Closes this end: the monitor of a container not started kills init and cleans up. */
    private void cleanUp() {
        if (ctl != null) {
            NativeLauncher.cleanup(ctl, runDir, createdRunDir);
            ctl = null;
            afterStart.run();
        }
    }

    @Override
    public void close() {
        abort();
    }
}
