package org.lxj.itests;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

import org.apache.felix.service.command.CommandProcessor;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** LXC's commands, as the shell bundle registers them (scope {@code lxc}), in a Gogo session. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class GogoCommandsIT extends LxjExamSupport {
    private Path lxcpath;
    private GogoSession gogo;

    @Before
    public void openSession() throws Exception {
        lxcpath = Files.createTempDirectory("lxj-it-gogo-");
        awaitService("(osgi.command.scope=lxc)");
        gogo = new GogoSession((CommandProcessor) awaitService("(objectClass=" + CommandProcessor.class.getName() + ")"));
        gogo.put("P", lxcpath.toString());
    }

    @After
    public void cleanUp() throws Exception {
        if (gogo != null) {
            gogo.close();
        }
        deleteTree(lxcpath);
    }

    @Test
    public void createListInfoDestroy() throws Exception {
        gogo.run("lxc:create -n c1 -t none -P $P");
        assertTrue("config written", Files.isRegularFile(lxcpath.resolve("c1/config")));

        String list = gogo.run("lxc:ls -P $P");
        assertTrue("lxc:ls lists c1: " + list, Pattern.compile("(?m)^c1\\s*$").matcher(list).find()
                || list.contains("c1"));

        String info = gogo.run("lxc:info -n c1 -P $P");
        assertTrue("name line: " + info, Pattern.compile("(?m)^Name:\\s+c1$").matcher(info).find());
        assertTrue("state line: " + info, Pattern.compile("(?m)^State:\\s+STOPPED$").matcher(info).find());

        gogo.run("lxc:destroy -n c1 -P $P");
        assertFalse("container directory removed", Files.exists(lxcpath.resolve("c1")));
        assertFalse("lxc:ls no longer lists c1", gogo.run("lxc:ls -P $P").contains("c1"));
    }

    @Test
    public void infoOfMissingContainerFails() throws Exception {
        String failure = gogo.runFailing("lxc:info -n nope -P $P");
        assertTrue("names the container: " + failure, failure.contains("nope"));
    }

    @Test
    public void checkconfigReportsSections() throws Exception {
        String report = gogo.run("lxc:checkconfig");
        assertTrue("namespaces section: " + report, report.contains("Namespaces"));
        assertTrue("cgroup section: " + report, report.toLowerCase().contains("cgroup"));
    }
}
