package org.lxj.api;

/** A backend that was asked for by name is not installed in this runtime. */
public class BackendNotFoundException extends LxjException {
    private static final long serialVersionUID = 1L;

    private final String area;
    private final String type;

    /**
     * @param area the SPI area ({@code storage}, {@code network}, {@code cgroup}, ...)
     * @param type the backend type that was asked for
     */
    public BackendNotFoundException(String area, String type) {
        this(area, type, "no " + area + " backend \"" + type + "\" is installed");
    }

    /**
     * For areas whose members users do not call backends, so the message can name them as users do.
     *
     * @param area    the SPI area
     * @param type    the type that was asked for
     * @param message the whole message
     * @since 1.1
     */
    protected BackendNotFoundException(String area, String type, String message) {
        super(message);
        this.area = area;
        this.type = type;
    }

    /**
     * A template ({@code lxc-create -t NAME}) that is not installed; reads {@code no template "NAME" is installed}.
     *
     * @since 1.1
     */
    public static BackendNotFoundException template(String name) {
        return new BackendNotFoundException("template", name, "no template \"" + name + "\" is installed");
    }

    public String area() {
        return area;
    }

    public String type() {
        return type;
    }
}
