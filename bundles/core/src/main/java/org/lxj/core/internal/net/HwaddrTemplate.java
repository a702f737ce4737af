package org.lxj.core.internal.net;

import java.security.SecureRandom;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * LXC's MAC templates: at create, every {@code x} of an {@code lxc.net.N.hwaddr} (or legacy
 * {@code lxc.network.hwaddr}) value becomes a random hex digit, and the result is what the new container's config
 * keeps, so the container has the same MAC at every start. The first byte stays unicast.
 */
public final class HwaddrTemplate {
    private static final Pattern LINE = Pattern.compile(
            "^(\\s*lxc\\.net(?:work)?(?:\\.\\d+)?\\.hwaddr\\s*=\\s*)([0-9a-fA-Fx:]+)(\\s*)$");

    private HwaddrTemplate() {
    }

    /** {@code lines} with every hwaddr template expanded. */
    public static List<String> expand(List<String> lines) {
        return expand(lines, new SecureRandom());
    }

    static List<String> expand(List<String> lines, Random random) {
        return lines.stream().map(l -> {
            Matcher m = LINE.matcher(l);
            if (!m.matches() || m.group(2).indexOf('x') < 0) {
                return l;
            }
            return m.group(1) + expandValue(m.group(2), random) + m.group(3);
        }).toList();
    }

    static String expandValue(String template, Random random) {
        StringBuilder out = new StringBuilder(template.length());
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c != 'x') {
                out.append(c);
                continue;
            }
            int digit = random.nextInt(16);
            if (i == 1) {
                digit &= 0xe; // the multicast bit of the first byte
            }
            out.append(Character.forDigit(digit, 16));
        }
        return out.toString();
    }
}
