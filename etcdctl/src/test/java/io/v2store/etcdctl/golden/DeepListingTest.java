package io.v2store.etcdctl.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Keys as deep as etcd holds them (its client port takes request lines of about 4 KiB, so about
 * 2,000 levels), listed by our etcdctl as its own process, where reading and printing the listing
 * runs on the stack Main gives it: it ran out near 1,000 levels on the default one.
 */
class DeepListingTest {
    private static final int LEVELS = 2_000;

    @Test
    void aListingTwoThousandLevelsDeepPrintsAsGosEtcdctlPrintsIt() throws Exception {
        ReferenceBinaries.require();
        try (RealEtcd etcd = new RealEtcd().start()) {
            EtcdHttp.put(etcd.clientUrl(), "/deep" + "/d".repeat(LEVELS - 1), "bottom");
            for (List<String> command : List.of(List.of("ls", "--recursive", "-p", "/deep"),
                    List.of("-o", "json", "ls", "--recursive", "/deep"))) {
                final List<String> args = new java.util.ArrayList<>(List.of("--endpoints", etcd.clientUrl()));
                args.addAll(command);
                final EtcdctlInvoker.Result reference = ProcessInvoker.reference().run(args, "");
                assertEquals(0, reference.exitCode(), reference.stderr());
                assertEquals(reference, ProcessInvoker.oursInJvm().run(args, ""), command.toString());
            }
        }
    }
}
