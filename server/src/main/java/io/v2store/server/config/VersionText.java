package io.v2store.server.config;

import java.util.Locale;

/** The four lines of {@code etcd --version}, saying honestly that this is not a Go build. */
public final class VersionText {

    /** The etcd server version we answer as (clients only display it). */
    public static final String ETCD_VERSION = "3.4.23";

    private VersionText() {
    }

    public static String render() {
        return "etcd Version: " + ETCD_VERSION + "\n"
            + "Git SHA: v2store (a Java reimplementation, not an etcd build)\n"
            + "Go Version: none (Java " + System.getProperty("java.version") + ")\n"
            + "Go OS/Arch: " + goOs() + "/" + goArch() + "\n";
    }

    private static String goOs() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        if (os.contains("linux")) {
            return "linux";
        }
        if (os.contains("mac")) {
            return "darwin";
        }
        if (os.contains("windows")) {
            return "windows";
        }
        return os.replace(' ', '_');
    }

    private static String goArch() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i686" -> "386";
            default -> arch;
        };
    }
}
