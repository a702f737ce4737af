package org.lxj.shell.internal;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Job;
import org.apache.felix.service.command.JobListener;

/** A Gogo session reduced to its variables and current directory, which is all the commands use. */
final class FakeSession implements CommandSession {

    final Map<String, Object> variables = new HashMap<>();
    private Path cwd;

    FakeSession(Path cwd) {
        this.cwd = cwd;
    }

    @Override
    public Path currentDir() {
        return cwd;
    }

    @Override
    public void currentDir(Path path) {
        cwd = path;
    }

    @Override
    public Object get(String name) {
        return variables.get(name);
    }

    @Override
    public Object put(String name, Object value) {
        return variables.put(name, value);
    }

    @Override
    public ClassLoader classLoader() {
        return getClass().getClassLoader();
    }

    @Override
    public void classLoader(ClassLoader loader) {
        throw new UnsupportedOperationException("not used by the commands");
    }

    @Override
    public Object execute(CharSequence commandline) {
        throw new UnsupportedOperationException("not used by the commands");
    }

    @Override
    public void close() {
        variables.clear();
    }

    @Override
    public InputStream getKeyboard() {
        return InputStream.nullInputStream();
    }

    @Override
    public PrintStream getConsole() {
        return System.out;
    }

    @Override
    public CharSequence format(Object target, int level) {
        return String.valueOf(target);
    }

    @Override
    public Object convert(Class<?> type, Object instance) {
        return type.cast(instance);
    }

    @Override
    public List<Job> jobs() {
        return List.of();
    }

    @Override
    public Job foregroundJob() {
        return null;
    }

    @Override
    public void setJobListener(JobListener listener) {
        throw new UnsupportedOperationException("not used by the commands");
    }
}
