package org.lxj.core.internal.lifecycle;

import java.util.List;

/** The comment block LXC puts on top of a config made with a template ({@code prepend_lxc_header}). */
final class LxcHeader {

    private LxcHeader() {
    }

    static String text(String template, List<String> arguments) {
        String params = arguments.isEmpty() ? "" : " " + String.join(" ", arguments);
        return "# Template used to create this container: " + template + "\n"
                + "# Parameters passed to the template:" + params + "\n"
                + "# For additional config options, please look at lxc.container.conf(5)\n"
                + "\n"
                + "# Uncomment the following line to support nesting containers:\n"
                + "#lxc.include = /usr/share/lxc/config/nesting.conf\n"
                + "# (Be aware this has security implications)\n"
                + "\n";
    }
}
