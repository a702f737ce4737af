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
        super("no " + area + " backend \"" + type + "\" is installed");
        this.area = area;
        this.type = type;
    }

    public String area() {
        return area;
    }

    public String type() {
        return type;
    }
}
