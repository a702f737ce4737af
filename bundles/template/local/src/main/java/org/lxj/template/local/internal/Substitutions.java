package org.lxj.template.local.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The placeholders an image's config, fstab and listed rootfs files may hold, replaced in lxc-local's
 * order (each replacement sees the result of the ones before it).
 */
final class Substitutions {

    private final List<Map.Entry<String, String>> pairs;

    /**
     * @param name           {@code LXC_NAME}: the container's name
     * @param path           {@code LXC_PATH}: the container's directory
     * @param rootfs         {@code LXC_ROOTFS}: its rootfs
     * @param templateConfig {@code LXC_TEMPLATE_CONFIG}: where the shared {@code *.conf} files are
     * @param hookDir        {@code LXC_HOOK_DIR}: where LXC's hook scripts are
     */
    Substitutions(String name, String path, String rootfs, String templateConfig, String hookDir) {
        this.pairs = List.of(Map.entry("LXC_NAME", name), Map.entry("LXC_PATH", path),
                Map.entry("LXC_ROOTFS", rootfs), Map.entry("LXC_TEMPLATE_CONFIG", templateConfig),
                Map.entry("LXC_HOOK_DIR", hookDir));
    }

    private Substitutions(List<Map.Entry<String, String>> pairs) {
        this.pairs = pairs;
    }

    /** The same replacements for text read byte for byte (ISO-8859-1): values become their UTF-8 bytes. */
    Substitutions bytewise() {
        return new Substitutions(pairs.stream().map(p -> Map.entry(p.getKey(),
                new String(p.getValue().getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1))).toList());
    }

    String apply(String text) {
        String out = text;
        for (Map.Entry<String, String> p : pairs) {
            out = out.replace(p.getKey(), p.getValue());
        }
        return out;
    }
}
