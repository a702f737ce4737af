package org.lxj.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;

import java.util.ArrayList;
import java.util.List;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.lxj.api.ContainerRuntime;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;

/** The distribution's bundle set boots: every bundle active, the runtime service registered. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DistributionBootIT extends LxjExamSupport {

    @Test
    public void everyBundleIsActive() {
        List<String> notActive = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            boolean fragment = b.getHeaders().get(Constants.FRAGMENT_HOST) != null;
            if (!fragment && b.getState() != Bundle.ACTIVE) {
                notActive.add(b.getSymbolicName() + " " + b.getVersion() + " is " + state(b.getState()));
            }
        }
        assertEquals("bundles not ACTIVE: " + notActive, List.of(), notActive);
    }

    @Test
    public void distributionBundlesAreInstalled() {
        List<String> missing = new ArrayList<>(List.of("org.lxj.api", "org.lxj.spi", "org.lxj.linux", "org.lxj.core",
                "org.lxj.storage.dir", "org.lxj.shell", "org.apache.felix.scr", "org.apache.felix.gogo.runtime",
                "com.sun.jna", "ch.qos.logback.classic", "org.apache.aries.spifly.dynamic.bundle"));
        for (Bundle b : context.getBundles()) {
            missing.remove(b.getSymbolicName());
        }
        assertEquals("bundles missing from bundle/", List.of(), missing);
    }

    @Test
    public void containerRuntimeServiceIsPresent() throws Exception {
        Object runtime = awaitService("(" + Constants.OBJECTCLASS + "=" + ContainerRuntime.class.getName() + ")");
        assertNotNull(((ContainerRuntime) runtime).systemConfig());
    }

    private static String state(int state) {
        return switch (state) {
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.UNINSTALLED -> "UNINSTALLED";
            default -> "ACTIVE";
        };
    }
}
