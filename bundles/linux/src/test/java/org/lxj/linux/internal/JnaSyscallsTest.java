package org.lxj.linux.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lxj.linux.Errno;
import org.lxj.linux.FsMagic;
import org.lxj.linux.OpenFlags;
import org.lxj.linux.PrctlOptions;
import org.lxj.linux.Stat;
import org.lxj.linux.Syscall;
import org.lxj.linux.SyscallException;

/** The JNA implementation against the real kernel, as any user: nothing here needs root. */
class JnaSyscallsTest {

    private final JnaSyscalls sys = new JnaSyscalls();

    @TempDir
    Path tmp;

    @Test
    void identity() throws IOException {
        assertEquals(ProcessHandle.current().pid(), sys.getpid());
        assertEquals(sys.getuid(), ((Number) Files.getAttribute(tmp, "unix:uid")).intValue());
        assertEquals(read("/proc/sys/kernel/osrelease").trim(), sys.uname().release());
        assertEquals("Linux", sys.uname().sysname());
        assertEquals(read("/proc/sys/kernel/hostname").trim(), sys.uname().nodename());
    }

    @Test
    void lstatMatchesWhatTheJdkSees() throws IOException {
        Path f = Files.writeString(tmp.resolve("f"), "hello");
        Path l = Files.createSymbolicLink(tmp.resolve("l"), f);
        Map<String, Object> jdk = Files.readAttributes(f, "unix:dev,ino,mode,uid,gid,nlink,size");
        Stat st = sys.lstat(f.toString());
        assertEquals(((Number) jdk.get("dev")).longValue(), st.dev());
        assertEquals(((Number) jdk.get("ino")).longValue(), st.ino());
        assertEquals(((Number) jdk.get("mode")).intValue(), st.mode());
        assertEquals(((Number) jdk.get("uid")).intValue(), st.uid());
        assertEquals(((Number) jdk.get("nlink")).longValue(), st.nlink());
        assertEquals(5, st.size());
        assertTrue(st.isRegularFile());
        assertTrue(sys.lstat(l.toString()).isSymlink());
        assertEquals(st.ino(), sys.stat(l.toString()).ino());
        assertEquals(f.toString(), sys.readlink(l.toString()));
    }

    @Test
    void fstatThroughAnOpenDescriptor() {
        int fd = sys.open(tmp.toString(), OpenFlags.O_RDONLY | OpenFlags.O_DIRECTORY | OpenFlags.O_CLOEXEC, 0);
        try {
            Stat st = sys.fstat(fd);
            assertTrue(st.isDirectory());
            assertEquals(sys.lstat(tmp.toString()).ino(), st.ino());
            sys.mkdirat(fd, "sub", 0750);
            assertEquals(0750, sys.lstat(tmp.resolve("sub").toString()).permissions());
            sys.unlinkat(fd, "sub", OpenFlags.AT_REMOVEDIR);
            assertFalse(Files.exists(tmp.resolve("sub")));
        } finally {
            sys.close(fd);
        }
        SyscallException e = assertThrows(SyscallException.class, () -> sys.close(fd));
        assertEquals("Failed to close fd " + fd + ": EBADF (Bad file descriptor)", e.getMessage());
    }

    @Test
    void errnoIsCapturedAtTheCall() {
        String missing = tmp.resolve("no/such/dir").toString();
        SyscallException e = assertThrows(SyscallException.class, () -> sys.mkdir(missing, 0755));
        assertEquals(Syscall.MKDIR, e.call());
        assertTrue(e.is(Errno.ENOENT));
        assertEquals(missing, e.argument());
        assertEquals("Failed to create directory \"" + missing + "\": ENOENT (No such file or directory)",
                e.getMessage());
        SyscallException notEmpty = assertThrows(SyscallException.class, () -> {
            sys.mkdir(tmp.resolve("d").toString(), 0755);
            sys.mkdir(tmp.resolve("d/e").toString(), 0755);
            sys.rmdir(tmp.resolve("d").toString());
        });
        assertTrue(notEmpty.is(Errno.ENOTEMPTY));
        SyscallException noLink = assertThrows(SyscallException.class, () -> sys.readlink(tmp.toString()));
        assertTrue(noLink.is(Errno.EINVAL));
    }

    @Test
    void filesAndLinks() throws IOException {
        String f = tmp.resolve("f").toString();
        Files.writeString(Path.of(f), "x");
        sys.chmod(f, 0600);
        assertEquals(0600, sys.lstat(f).permissions());
        int uid = sys.geteuid();
        sys.chown(f, uid, -1);
        String link = tmp.resolve("link").toString();
        sys.symlink("f", link);
        sys.lchown(link, uid, -1);
        assertEquals("f", sys.readlink(link));
        assertTrue(Files.isSymbolicLink(Path.of(link)));
        sys.unlinkat(OpenFlags.AT_FDCWD, link, 0);
        assertFalse(Files.exists(Path.of(link), LinkOption.NOFOLLOW_LINKS));
        String fifo = tmp.resolve("fifo").toString();
        sys.mknod(fifo, Stat.S_IFIFO | 0600, 0);
        assertEquals(Stat.S_IFIFO, sys.lstat(fifo).mode() & Stat.S_IFMT);
    }

    @Test
    void devicesAndFilesystems() {
        Stat devNull = sys.stat("/dev/null");
        assertTrue(devNull.isCharDevice());
        assertEquals(1, Stat.major(devNull.rdev()));
        assertEquals(3, Stat.minor(devNull.rdev()));
        assertEquals(FsMagic.PROC, sys.statfs("/proc"));
        assertEquals(FsMagic.SYSFS, sys.statfs("/sys"));
    }

    @Test
    void signalsLocksAndPrctl() {
        sys.kill(sys.getpid(), 0);
        SyscallException e = assertThrows(SyscallException.class, () -> sys.kill(0x3ffffff0, 0));
        assertTrue(e.is(Errno.ESRCH));
        int fd = sys.open(tmp.toString(), OpenFlags.O_RDONLY | OpenFlags.O_CLOEXEC, 0);
        try {
            sys.flock(fd, OpenFlags.LOCK_EX | OpenFlags.LOCK_NB);
            sys.flock(fd, OpenFlags.LOCK_UN);
        } finally {
            sys.close(fd);
        }
        int nnp = sys.prctl(PrctlOptions.PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
        assertTrue(nnp == 0 || nnp == 1);
    }

    @Test
    void kernelSecurityQueries() throws IOException {
        try {
            assertTrue(sys.landlockAbiVersion() >= 1);
        } catch (SyscallException e) {
            assertTrue(e.is(Errno.ENOSYS) || e.is(Errno.EOPNOTSUPP), e.getMessage());
        }
        Path lsm = Path.of("/sys/kernel/security/lsm");
        try {
            var names = sys.lsmListModules().stream().map(LsmIds::name).toList();
            assertTrue(names.contains("capability"), names.toString());
            if (Files.isReadable(lsm)) {
                assertEquals(read(lsm.toString()).trim(), String.join(",", names));
            }
        } catch (SyscallException e) {
            assertTrue(e.is(Errno.ENOSYS), e.getMessage());
        }
    }

    private static String read(String path) throws IOException {
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
