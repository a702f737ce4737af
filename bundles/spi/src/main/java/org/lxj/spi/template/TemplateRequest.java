package org.lxj.spi.template;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What a template fills.
 *
 * @param containerName the container's name
 * @param lxcpath       its lxcpath
 * @param rootfs        the mounted rootfs directory to fill
 * @param configFile    the container's config, already written; a template appends its keys
 * @param arguments     the arguments the user gave after {@code --}
 */
public record TemplateRequest(String containerName, Path lxcpath, Path rootfs, Path configFile,
        List<String> arguments) {
    public TemplateRequest {
        Objects.requireNonNull(containerName, "containerName");
        Objects.requireNonNull(lxcpath, "lxcpath");
        Objects.requireNonNull(rootfs, "rootfs");
        Objects.requireNonNull(configFile, "configFile");
        arguments = List.copyOf(arguments);
    }
}
