package org.lxj.api;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code lxc-create} asks for.
 *
 * @param lxcpath          where the container goes
 * @param name             its name
 * @param template         a template name or absolute path; empty or {@code "none"} for none
 * @param configFile       a config file whose entries are copied into the new config ({@code -f})
 * @param storageTypes     storage backends to try in order ({@code -B a,b}); empty means the system default
 * @param storageOptions   backend options by name ({@code dir}, {@code fstype}, {@code fssize}, ...)
 * @param templateArguments arguments after {@code --}, passed to the template
 */
public record CreateRequest(Path lxcpath, String name, Optional<String> template, Optional<Path> configFile,
        List<String> storageTypes, Map<String, String> storageOptions, List<String> templateArguments) {

    public CreateRequest {
        Objects.requireNonNull(lxcpath, "lxcpath");
        Objects.requireNonNull(name, "name");
        template = template.filter(t -> !t.isEmpty() && !t.equals("none"));
        storageTypes = List.copyOf(storageTypes);
        storageOptions = Map.copyOf(storageOptions);
        templateArguments = List.copyOf(templateArguments);
    }

    /** A request with no template, no config file, the default storage and no options. */
    public static CreateRequest of(Path lxcpath, String name) {
        return new CreateRequest(lxcpath, name, Optional.empty(), Optional.empty(), List.of(), Map.of(), List.of());
    }
}
