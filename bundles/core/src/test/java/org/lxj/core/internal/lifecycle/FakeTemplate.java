package org.lxj.core.internal.lifecycle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.lxj.spi.backend.BackendException;
import org.lxj.spi.template.Template;
import org.lxj.spi.template.TemplateRequest;

/** A template that writes {@code /etc/hostname} into the rootfs and appends {@code lxc.uts.name}, as busybox does. */
public class FakeTemplate implements Template {
    final String type;
    final List<TemplateRequest> requests = new CopyOnWriteArrayList<>();
    volatile boolean fail;

    public FakeTemplate(String type) {
        this.type = type;
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public void install(TemplateRequest request) {
        requests.add(request);
        try {
            Files.createDirectories(request.rootfs().resolve("etc"));
            Files.writeString(request.rootfs().resolve("etc/hostname"), request.containerName() + "\n");
            if (fail) {
                throw new BackendException("Failed to install \"" + request.containerName() + "\": told to");
            }
            Files.writeString(request.configFile(), "lxc.uts.name = \"" + request.containerName() + "\"\n",
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
