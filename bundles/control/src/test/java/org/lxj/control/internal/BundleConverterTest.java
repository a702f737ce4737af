package org.lxj.control.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Parameter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Version;

/**
 * The bundle converter alone and inside a real Gogo processor, where a command taking {@code Bundle[]} (as
 * {@code felix:stop} does) is called with ids held in variables, as the daemon passes every argument.
 */
class BundleConverterTest {
    private final List<Bundle> bundles = new ArrayList<>();
    private final BundleContext context = proxy(BundleContext.class, (name, args) -> switch (name) {
        case "getBundle" -> bundles.stream().filter(b -> b.getBundleId() == (Long) args[0]).findFirst().orElse(null);
        case "getBundles" -> bundles.toArray(new Bundle[0]);
        default -> throw new UnsupportedOperationException(name);
    });
    private final BundleConverter converter = new BundleConverter(context);
    private CommandProcessorImpl processor;

    /** A command with felix:stop's parameter shape. */
    public static final class Stopper {
        final List<Bundle> stopped = new ArrayList<>();

        public void stopit(@Parameter(names = {"-t", "--transient"}, presentValue = "true", absentValue = "false")
                boolean trans, Bundle[] which) {
            stopped.addAll(List.of(which));
        }
    }

    private interface Answer {
        Object answer(String method, Object[] args);
    }

    private static <T> T proxy(Class<T> type, Answer a) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (p, m, args) -> switch (m.getName()) {
                    case "toString" -> type.getSimpleName();
                    case "hashCode" -> System.identityHashCode(p);
                    case "equals" -> p == args[0];
                    default -> a.answer(m.getName(), args);
                }));
    }

    private Bundle bundle(long id, String bsn, String version) {
        Bundle b = proxy(Bundle.class, (name, args) -> switch (name) {
            case "getBundleId" -> id;
            case "getSymbolicName" -> bsn;
            case "getVersion" -> Version.parseVersion(version);
            default -> throw new UnsupportedOperationException(name);
        });
        bundles.add(b);
        return b;
    }

    @BeforeEach
    void setUp() {
        processor = new CommandProcessorImpl(SharedThreadIo.get());
    }

    @AfterEach
    void tearDown() {
        processor.stop();
    }

    @Test
    void idsAndSymbolicNamesBecomeBundles() {
        Bundle system = bundle(0, "org.apache.felix.framework", "7.0.5");
        Bundle old = bundle(12, "org.lxj.storage.tmpfs", "1.0.0");
        Bundle current = bundle(13, "org.lxj.storage.tmpfs", "1.2.0");
        assertSame(old, converter.convert(Bundle.class, "12"));
        assertSame(old, converter.convert(Bundle.class, " 12 "));
        assertSame(system, converter.convert(Bundle.class, 0L));
        assertSame(current, converter.convert(Bundle.class, "org.lxj.storage.tmpfs"));
        assertNull(converter.convert(Bundle.class, "99"), "no such bundle");
        assertNull(converter.convert(Bundle.class, "99999999999999999999999"), "beyond a long");
        assertNull(converter.convert(Bundle.class, "no.such.bundle"));
        assertNull(converter.convert(Bundle.class, ""));
        assertNull(converter.convert(String.class, "12"), "only bundles");
        assertNull(converter.format(old, 0, null));
    }

    @Test
    void aCommandTakingBundlesAcceptsIdsFromVariables() throws Exception {
        Bundle a = bundle(5, "a", "1.0.0");
        Bundle b = bundle(7, "b", "1.0.0");
        Stopper stopper = new Stopper();
        processor.addCommand("felix", stopper, "stopit");
        processor.addConverter(converter);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        try (CommandSession s = processor.createSession(InputStream.nullInputStream(), ps, ps)) {
            s.put("lxj_arg_0", "5");                       // the daemon stores every argument as a String
            s.put("lxj_arg_1", "b");
            s.execute("felix:stopit $lxj_arg_0 $lxj_arg_1");
            s.execute("felix:stopit 7");
        }
        assertEquals(List.of(a, b, b), stopper.stopped);
    }
}
