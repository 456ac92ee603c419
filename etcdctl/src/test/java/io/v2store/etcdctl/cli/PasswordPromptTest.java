package io.v2store.etcdctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PasswordPromptTest {
    @Test
    void readsOneLineAndTrimsAsGo() throws Exception {
        final ByteArrayInputStream in = new ByteArrayInputStream("a b \r\nrest".getBytes(StandardCharsets.UTF_8));
        assertEquals("a b ", PasswordPrompt.readLine(in));
        assertEquals("rest", PasswordPrompt.readLine(in)); // EOF ends a line too
        assertEquals("", PasswordPrompt.readLine(in));
        assertEquals("x\u200by", PasswordPrompt.goTrimSpace("\u00a0\u2003x\u200by\u0085\t"));
    }

    @Test
    void promptsOnStdoutAndRelaysSttyInATestJvm() throws Exception {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final Io io = new Io(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(" pw \n".getBytes(StandardCharsets.UTF_8)), Map.of(), false);
        assertEquals("pw", PasswordPrompt.ask(io, "Password: "));
        assertEquals("Password: \n", out.toString(StandardCharsets.UTF_8));
        assertEquals("stty: 'standard input': Inappropriate ioctl for device\n".repeat(2),
                err.toString(StandardCharsets.UTF_8));
    }
}
