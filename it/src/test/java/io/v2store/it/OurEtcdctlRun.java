package io.v2store.it;

import io.v2store.etcdctl.Main;
import io.v2store.etcdctl.cli.Io;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One run of our etcdctl, in this JVM (the same code path as bin/etcdctl, minus start-up). */
final class OurEtcdctlRun {
    private OurEtcdctlRun() {}

    static EtcdctlRun run(String endpoint, List<String> args) {
        List<String> command = new ArrayList<>(List.of("--endpoints", endpoint));
        command.addAll(args);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Io io = new Io(new PrintStream(out, false, StandardCharsets.UTF_8),
            new PrintStream(err, false, StandardCharsets.UTF_8),
            new ByteArrayInputStream(new byte[0]), Map.of("ETCDCTL_API", "2"), false);
        int code = Main.run(command.toArray(new String[0]), io);
        io.flush();
        return new EtcdctlRun(args, code, out.toString(StandardCharsets.UTF_8),
            err.toString(StandardCharsets.UTF_8));
    }
}
