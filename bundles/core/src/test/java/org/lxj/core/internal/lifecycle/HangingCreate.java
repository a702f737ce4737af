package org.lxj.core.internal.lifecycle;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.lxj.api.CreateRequest;
import org.lxj.api.config.SystemConfig;
import org.lxj.spi.template.TemplateRequest;

/**
 * The child process of {@link KilledCreateTest}: creates {@code args[1]} in {@code args[0]} with a template that
 * says {@code LOCKED} on stdout once the creation is under way (marker held, rootfs and config made), then waits
 * to be killed.
 */
public final class HangingCreate {

    private HangingCreate() {
    }

    public static void main(String[] args) throws InterruptedException {
        FakeTemplate hang = new FakeTemplate("hang") {
            @Override
            public void install(TemplateRequest request) {
                System.out.println("LOCKED");
                System.out.flush();
                Object forever = new Object();
                synchronized (forever) {
                    try {
                        forever.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        TestBackends backends = new TestBackends().add(new FakeStorage("dir"), 0).add(hang);
        Lifecycle runtime = new Lifecycle(SystemConfig.defaults(), backends, LinesConfig::parse,
                new NothingRunsStateStore(), e -> { });
        runtime.create(new CreateRequest(Path.of(args[0]), args[1], Optional.of("hang"), Optional.empty(), List.of(),
                Map.of(), List.of()));
        System.out.println("NOT REACHED");
    }
}
