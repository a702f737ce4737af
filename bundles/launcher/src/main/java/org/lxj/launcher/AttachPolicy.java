package org.lxj.launcher;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.lxj.launcher.internal.AttachPolicyCodec;
import org.lxj.spi.launch.LandlockRuleset;
import org.lxj.spi.launch.LaunchPlan;
import org.lxj.spi.launch.LsmLabel;
import org.lxj.spi.launch.SeccompNotifyProxy;
import org.lxj.spi.launch.SeccompProgram;

/**
 * The confinement a container's init got at its start, which {@code lxc-attach} gives the attached command too:
 * the seccomp filter (and where its notifications go), the LSM labels, the Landlock ruleset and
 * {@code no_new_privs}. The start keeps it in the run directory ({@link #FILE}) so an attach applies what init
 * runs under, not a configuration edited since.
 *
 * @param seccomp         init's compiled filter, if any
 * @param notifyProxy     the proxy of a notifying filter; present exactly when the filter notifies
 * @param lsmLabels       init's LSM attribute writes, in order
 * @param landlock        init's Landlock ruleset, if any
 * @param noNewPrivileges {@code lxc.no_new_privs}
 * @since 1.7
 */
public record AttachPolicy(Optional<SeccompProgram> seccomp, Optional<SeccompNotifyProxy> notifyProxy,
        List<LsmLabel> lsmLabels, Optional<LandlockRuleset> landlock, boolean noNewPrivileges) {

    /** The file in a container's run directory. */
    public static final String FILE = "attach-policy";
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY = PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rw-------"));

    /** No confinement beyond capabilities and cgroups (what an attach got before the policy was kept). */
    public static final AttachPolicy NONE = new AttachPolicy(Optional.empty(), Optional.empty(), List.of(),
            Optional.empty(), false);

    /** Checks the values. */
    public AttachPolicy {
        Objects.requireNonNull(seccomp, "seccomp");
        Objects.requireNonNull(notifyProxy, "notifyProxy");
        Objects.requireNonNull(landlock, "landlock");
        lsmLabels = List.copyOf(lsmLabels);
        if (seccomp.map(SeccompProgram::notifies).orElse(false) != notifyProxy.isPresent()) {
            throw new IllegalArgumentException(notifyProxy.isPresent() ? "A seccomp notify proxy without a notifying filter"
                    : "A notifying seccomp filter without a notify proxy");
        }
    }

    /**
     * The security part of a launch plan.
     *
     * @param plan the plan init was started with
     * @return its policy
     */
    public static AttachPolicy of(LaunchPlan plan) {
        return new AttachPolicy(plan.seccomp(), plan.seccompNotifyProxy(), plan.lsmLabels(), plan.landlock(),
                plan.noNewPrivileges());
    }

    /**
     * This policy without what {@code lxc-attach -e LSM} (or not joining the mount namespace) lifts, as LXC does:
     * the LSM labels and the seccomp filter, and Landlock, which LXJ treats as an LSM. {@code no_new_privs} stays.
     *
     * @return the policy of an attach with elevated LSM privileges
     */
    public AttachPolicy withoutLsm() {
        return new AttachPolicy(Optional.empty(), Optional.empty(), List.of(), Optional.empty(), noNewPrivileges);
    }

    /**
     * This policy with {@code no_new_privs} set or not.
     *
     * @param set whether the command gets {@code no_new_privs}
     * @return the policy
     */
    public AttachPolicy withNoNewPrivileges(boolean set) {
        return new AttachPolicy(seccomp, notifyProxy, lsmLabels, landlock, set);
    }

    /** Whether the policy holds anything at all. */
    public boolean isEmpty() {
        return seccomp.isEmpty() && lsmLabels.isEmpty() && landlock.isEmpty() && !noNewPrivileges;
    }

    /**
     * Writes the policy to {@code dir}/{@link #FILE}, mode 0600, atomically (a temporary file renamed over it).
     *
     * @param dir the container's run directory
     * @throws IOException when the file cannot be written
     */
    public void write(Path dir) throws IOException {
        Path tmp = dir.resolve(FILE + ".tmp");
        byte[] bytes = AttachPolicyCodec.encodeFile(this);
        boolean done = false;
        // one open, one write, one rename: this runs on every start
        try (SeekableByteChannel c = create(tmp)) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                c.write(b);
            }
        }
        try {
            try {
                Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    private static SeekableByteChannel create(Path tmp) throws IOException {
        Set<StandardOpenOption> options = EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            return Files.newByteChannel(tmp, options, OWNER_ONLY);
        } catch (FileAlreadyExistsException e) {
            Files.delete(tmp); // left by a write that died half-way
            return Files.newByteChannel(tmp, options, OWNER_ONLY);
        }
    }

    /**
     * Reads {@code dir}/{@link #FILE}.
     *
     * @param dir the container's run directory
     * @return the policy, or empty when the file does not exist (a container started by an older runtime)
     * @throws IOException when the file cannot be read or is malformed
     */
    public static Optional<AttachPolicy> read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        }
        try {
            return Optional.of(AttachPolicyCodec.decodeFile(bytes));
        } catch (RuntimeException e) {
            throw new IOException("Malformed attach policy \"" + file + "\": " + e.getMessage(), e);
        }
    }
}
