package io.v2store.etcdctl.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Asks for a password the way Go etcdctl does (bgentry/speakeasy): the prompt on stdout, echo turned
 * off by running {@code stty -echo} on our own stdin, stdout and stderr, one line read from stdin,
 * {@code stty echo}, a newline on stdout, and the line stripped of surrounding white space.
 *
 * <p>No terminal is required: with a pipe or file on stdin, stty fails and says so on stderr (twice,
 * "Inappropriate ioctl for device") and the line is read anyway, so scripts can pipe a password in,
 * and EOF gives an empty password. Running the same stty keeps even those lines identical to the
 * reference's. A command run inside a test JVM has no file descriptors of its own: there stty gets a
 * stdin that is not a terminal, as the test's piped stdin is not, and its output is relayed.
 */
final class PasswordPrompt {
    /** By name, so that its messages say "stty:" as under Go, which runs /bin/stty with argv[0] "stty". */
    private static final String STTY = "stty";

    private PasswordPrompt() {
    }

    /** A failure to ask, in speakeasy's words. */
    static final class PromptException extends Exception {
        PromptException(String message) {
            super(message, null, false, false);
        }
    }

    static String ask(Io io, String prompt) throws PromptException {
        io.out().print(prompt);
        io.flush();
        try {
            stty(io, "-echo");
        } catch (IOException e) {
            throw new PromptException("failed turning off console echo for password entry:\n\t" + errnoText(e));
        }
        // While echo is off, a signal must not leave the terminal that way (speakeasy restores it and exits 255).
        final Runnable restore = Interrupts.onTerminationSignals(io, () -> echoOnQuietly(io), 255);
        final String line;
        try {
            line = readLine(io.in());
        } catch (IOException e) {
            throw new PromptException("failed during password entry: " + e.getMessage());
        } finally {
            echoOnQuietly(io);
            restore.run();
        }
        // After stty echo, as the reference orders them (seen when stty's complaints share the screen).
        io.out().print("\n");
        io.flush();
        return goTrimSpace(line);
    }

    private static void echoOnQuietly(Io io) {
        try {
            stty(io, "echo");
        } catch (IOException e) {
            // speakeasy ignores a failure to turn echo back on.
        }
    }

    private static void stty(Io io, String setting) throws IOException {
        final ProcessBuilder pb = new ProcessBuilder(List.of(STTY, setting));
        LocaleRestore.apply(pb.environment()); // the caller's locale, for stty's own messages
        if (io.standalone()) {
            pb.inheritIO();
        }
        final Process p = pb.start();
        if (!io.standalone()) {
            p.getOutputStream().close(); // a pipe: not a terminal, like the test's stdin
            final byte[] out = p.getInputStream().readAllBytes();
            final byte[] err = p.getErrorStream().readAllBytes();
            io.out().write(out, 0, out.length);
            io.err().write(err, 0, err.length);
        }
        try {
            p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Byte by byte up to a newline or EOF (nothing read beyond the line); a trailing CR dropped. */
    static String readLine(InputStream in) throws IOException {
        final ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
            line.write(b);
        }
        final String s = line.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /** Go's {@code strings.TrimSpace}: Unicode white space (which Java's strip() defines differently). */
    static String goTrimSpace(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isGoSpace(s.charAt(start))) {
            start++;
        }
        while (end > start && isGoSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    private static boolean isGoSpace(char c) {
        switch (c) {
            case '\t': case '\n': case 0x0B: case '\f': case '\r': case ' ': case 0x85: case 0xA0:
                return true;
            default:
                return c > 0xFF && Character.getType(c) == Character.SPACE_SEPARATOR
                        || c == '\u2028' || c == '\u2029';
        }
    }

    /** Go reports a failed exec by its errno text alone ("no such file or directory"). */
    private static String errnoText(IOException e) {
        final String m = String.valueOf(e.getMessage());
        final int i = m.indexOf("error=");
        if (i >= 0 && m.indexOf(", ", i) > 0) {
            return m.substring(m.indexOf(", ", i) + 2).toLowerCase(java.util.Locale.ROOT);
        }
        return m;
    }
}
