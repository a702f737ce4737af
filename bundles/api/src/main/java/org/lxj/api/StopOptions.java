package org.lxj.api;

import java.time.Duration;

/**
 * What {@code lxc-stop} asks for.
 *
 * @param reboot  request a reboot instead ({@code -r})
 * @param kill    kill at once with SIGKILL ({@code -k})
 * @param noKill  only request a clean shutdown, never kill ({@code --nokill})
 * @param noWait  do not wait for the container to stop ({@code -W})
 * @param timeout how long to wait for a clean shutdown before killing ({@code -t}); negative waits for ever
 * @since 1.2
 */
public record StopOptions(boolean reboot, boolean kill, boolean noKill, boolean noWait, Duration timeout) {
    /** LXC's default timeout for a clean shutdown. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    public static final StopOptions DEFAULT = new StopOptions(false, false, false, false, DEFAULT_TIMEOUT);
}
