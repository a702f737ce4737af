package org.lxj.itests;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;

import org.apache.felix.service.command.CommandProcessor;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.lxj.spi.backend.Backend;
import org.lxj.spi.storage.StorageBackend;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceRegistration;

/** A storage backend installed at run time is used at once, and its removal is a named error. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class StorageDynamicsIT extends LxjExamSupport {
    private Path lxcpath;
    private GogoSession gogo;
    private ServiceRegistration<StorageBackend> registration;

    @Before
    public void openSession() throws Exception {
        lxcpath = Files.createTempDirectory("lxj-it-storage-");
        awaitService("(osgi.command.scope=lxc)");
        gogo = new GogoSession((CommandProcessor) awaitService("(objectClass=" + CommandProcessor.class.getName() + ")"));
        gogo.put("P", lxcpath.toString());
    }

    @After
    public void cleanUp() throws Exception {
        if (registration != null) {
            registration.unregister();
        }
        if (gogo != null) {
            gogo.close();
        }
        deleteTree(lxcpath);
    }

    @Test
    public void backendComesAndGoes() throws Exception {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Backend.TYPE_PROPERTY, FakeStorageBackend.TYPE);
        registration = context.registerService(StorageBackend.class, new FakeStorageBackend(), props);

        gogo.run("lxc:create -n f1 -B fake -t busybox -P $P");
        String config = Files.readString(lxcpath.resolve("f1/config"));
        assertTrue("rootfs from the fake backend: " + config, config.contains("fake:"));
        assertTrue("fake rootfs made", Files.isDirectory(lxcpath.resolve("f1/fake-rootfs")));
        gogo.run("lxc:destroy -n f1 -P $P");
        assertFalse("f1 destroyed", Files.exists(lxcpath.resolve("f1")));

        registration.unregister();
        registration = null;
        String failure = gogo.runFailing("lxc:create -n f2 -B fake -t busybox -P $P");
        assertTrue("named error: " + failure, failure.contains("no storage backend \"fake\" is installed"));
        assertFalse("nothing left of f2", Files.exists(lxcpath.resolve("f2")));
    }
}
