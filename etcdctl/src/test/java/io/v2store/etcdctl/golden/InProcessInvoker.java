package io.v2store.etcdctl.golden;

import io.v2store.etcdctl.Main;
import io.v2store.etcdctl.cli.Io;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Runs our etcdctl inside the test JVM: the same code path as the process, minus JVM start-up. */
public final class InProcessInvoker implements EtcdctlInvoker {
    @Override
    public Result run(List<String> args, String stdin) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final Io io = new Io(new PrintStream(out, false, StandardCharsets.UTF_8),
                new PrintStream(err, false, StandardCharsets.UTF_8),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), Map.of("ETCDCTL_API", "2"), false);
        final int code = Main.run(args.toArray(new String[0]), io);
        return new Result(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), code);
    }
}
