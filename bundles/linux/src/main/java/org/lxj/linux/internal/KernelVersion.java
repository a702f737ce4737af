package org.lxj.linux.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Major and minor kernel version, for lxc-checkconfig's version-dependent lines. */
record KernelVersion(int major, int minor) {
    private static final Pattern RELEASE = Pattern.compile("^(\\d+)\\.(\\d+)");

    /** lxc-checkconfig assumes the latest kernel when it cannot tell. */
    static final KernelVersion LATEST = new KernelVersion(100, 0);

    /** From {@code uname -r} ({@code 6.18.44-fc-v657}); {@link #LATEST} when it does not parse. */
    static KernelVersion ofRelease(String release) {
        Matcher m = RELEASE.matcher(release);
        return m.find() ? new KernelVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))) : LATEST;
    }

    boolean before(int maj, int min) {
        return major < maj || (major == maj && minor < min);
    }
}
