package io.v2store.etcdctl.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** watch --forever with real server processes: restarts, a cleared history, and SIGINT. */
class WatchResumeTest {
    private static final long LINE_DEADLINE_MILLIS = 20_000;
    private static final int MAX_PROBES = 60;
    /** etcd keeps the last 1000 events; this many writes push an index out of the history. */
    private static final int HISTORY_OVERFLOW_WRITES = 1005;

    @BeforeEach
    void requireReference() {
        ReferenceBinaries.require();
    }

    @Test
    void foreverWatchSurvivesServerRestart() throws Exception {
        try (RealEtcd etcd = new RealEtcd().start()) {
            final long start = EtcdHttp.put(etcd.clientUrl(), "/g/r", "v0");
            try (RunningCommand watch = new RunningCommand(ProcessInvoker.oursInJvm(), List.of("--endpoints",
                    etcd.clientUrl(), "watch", "--forever", "--after-index", Long.toString(start), "/g/r"))) {
                EtcdHttp.put(etcd.clientUrl(), "/g/r", "v1");
                assertEquals("v1", watch.nextLine(LINE_DEADLINE_MILLIS), watch.stderr());

                etcd.stop();
                etcd.start();

                // The watcher reconnects on its own schedule; write until it reports one of the writes.
                String seen = null;
                for (int i = 0; i < MAX_PROBES && seen == null; i++) {
                    EtcdHttp.put(etcd.clientUrl(), "/g/r", "after-" + i);
                    seen = watch.nextLine(500);
                }
                assertNotNull(seen, "no event after the restart; stderr: " + watch.stderr());
                assertTrue(seen.startsWith("after-"), seen);
                EtcdHttp.put(etcd.clientUrl(), "/g/r", "final");
                String line = watch.nextLine(LINE_DEADLINE_MILLIS);
                while (line != null && line.startsWith("after-")) {
                    line = watch.nextLine(LINE_DEADLINE_MILLIS);
                }
                assertEquals("final", line, watch.stderr());
                assertTrue(watch.isAlive());
            }
        }
    }

    @Test
    void foreverWatchRereadsAfterHistoryClearedAndMissesNothingLater() throws Exception {
        try (RealEtcd etcd = new RealEtcd().start()) {
            final long old = EtcdHttp.put(etcd.clientUrl(), "/g/h", "old");
            for (int i = 0; i < HISTORY_OVERFLOW_WRITES; i++) {
                EtcdHttp.put(etcd.clientUrl(), "/g/filler", Integer.toString(i));
            }
            final List<String> args = List.of("--endpoints", etcd.clientUrl(), "watch", "--after-index",
                    Long.toString(old), "/g/h");

            // Without --forever we behave like the reference: the 401 is printed and we exit 4.
            final EtcdctlInvoker.Result reference = ProcessInvoker.reference().run(args, "");
            final EtcdctlInvoker.Result ours = new InProcessInvoker().run(args, "");
            assertEquals(4, reference.exitCode());
            assertTrue(reference.stderr().startsWith("Error:  401: "), reference.stderr());
            assertEquals(reference, ours);

            final List<String> forever = List.of("--endpoints", etcd.clientUrl(), "watch", "-f", "--after-index",
                    Long.toString(old), "/g/h");
            try (RunningCommand watch = new RunningCommand(ProcessInvoker.oursInJvm(), forever)) {
                String seen = null;
                for (int i = 0; i < MAX_PROBES && seen == null; i++) {
                    EtcdHttp.put(etcd.clientUrl(), "/g/h", "new-" + i);
                    seen = watch.nextLine(500);
                }
                assertNotNull(seen, "nothing after the 401; stderr: " + watch.stderr());
                assertTrue(seen.startsWith("new-"), seen);
                for (int i = 0; i < 3; i++) {
                    EtcdHttp.put(etcd.clientUrl(), "/g/h", "next-" + i);
                }
                String line = watch.nextLine(LINE_DEADLINE_MILLIS);
                while (line != null && line.startsWith("new-")) {
                    line = watch.nextLine(LINE_DEADLINE_MILLIS);
                }
                assertEquals("next-0", line);
                assertEquals("next-1", watch.nextLine(LINE_DEADLINE_MILLIS));
                assertEquals("next-2", watch.nextLine(LINE_DEADLINE_MILLIS));
                assertEquals("", watch.stderr());
            }
        }
    }

    @Test
    void sigintEndsAForeverWatchWithExitZero() throws Exception {
        try (RealEtcd etcd = new RealEtcd().start()) {
            final long start = EtcdHttp.put(etcd.clientUrl(), "/g/s", "0");
            try (RunningCommand watch = new RunningCommand(ProcessInvoker.oursInJvm().withDefaultSigint(), List.of("--endpoints",
                    etcd.clientUrl(), "watch", "-f", "--after-index", Long.toString(start), "/g/s"))) {
                EtcdHttp.put(etcd.clientUrl(), "/g/s", "1");
                assertEquals("1", watch.nextLine(LINE_DEADLINE_MILLIS));
                final Process kill = new ProcessBuilder("kill", "-INT", Long.toString(watch.pid())).start();
                assertEquals(0, kill.waitFor());
                assertEquals(0, watch.awaitExit(LINE_DEADLINE_MILLIS));
            }
        }
    }
}
