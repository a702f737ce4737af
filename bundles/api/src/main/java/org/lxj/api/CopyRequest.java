package org.lxj.api;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code lxc-copy} asks for (without {@code -R}, which is {@link ContainerRuntime#rename}).
 *
 * @param lxcpath        where the source lives
 * @param name           the source's name
 * @param newLxcpath     where the copy goes ({@code -p}); the source's lxcpath when not given
 * @param newName        the copy's name ({@code -N})
 * @param snapshot       a copy-on-write clone ({@code -s}) instead of a full copy
 * @param storageTypes   the storage type of the copy ({@code -B}); empty: as LXC chooses
 * @param storageOptions backend options ({@code fssize} from {@code -L})
 * @param keepName       keep the source's hostname ({@code -K})
 * @param keepMac        keep the source's MAC addresses ({@code -M})
 * @param extraConfig    config lines appended to the copy's config ({@code lxc.ephemeral = 1}, mounts of
 *                       {@code -m})
 * @param hookArguments  arguments after {@code --}, passed to {@code lxc.hook.clone}
 * @param allowRunning   copy even while the source runs ({@code -a}); its data may be caught half-written
 *                       (since 1.6)
 * @since 1.5
 */
public record CopyRequest(Path lxcpath, String name, Path newLxcpath, String newName, boolean snapshot,
        List<String> storageTypes, Map<String, String> storageOptions, boolean keepName, boolean keepMac,
        List<String> extraConfig, List<String> hookArguments, boolean allowRunning) {

    public CopyRequest {
        Objects.requireNonNull(lxcpath, "lxcpath");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(newLxcpath, "newLxcpath");
        Objects.requireNonNull(newName, "newName");
        storageTypes = List.copyOf(storageTypes);
        storageOptions = Map.copyOf(storageOptions);
        extraConfig = List.copyOf(extraConfig);
        hookArguments = List.copyOf(hookArguments);
    }

    /** A request that refuses a running source, as before {@code allowRunning} existed. */
    public CopyRequest(Path lxcpath, String name, Path newLxcpath, String newName, boolean snapshot,
            List<String> storageTypes, Map<String, String> storageOptions, boolean keepName, boolean keepMac,
            List<String> extraConfig, List<String> hookArguments) {
        this(lxcpath, name, newLxcpath, newName, snapshot, storageTypes, storageOptions, keepName, keepMac,
                extraConfig, hookArguments, false);
    }

    /** A full copy of {@code name} as {@code newName} in the same lxcpath, with LXC's defaults. */
    public static CopyRequest of(Path lxcpath, String name, String newName) {
        return new CopyRequest(lxcpath, name, lxcpath, newName, false, List.of(), Map.of(), false, false, List.of(),
                List.of());
    }
}
