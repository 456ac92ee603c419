package io.v2store.etcdctl.golden;

import java.util.List;

/** Runs one etcdctl command line (without the program name) with the given stdin. */
@FunctionalInterface
public interface EtcdctlInvoker {
    Result run(List<String> args, String stdin) throws Exception;

    /** What a command left behind: its two output streams (UTF-8) and its exit code. */
    record Result(String stdout, String stderr, int exitCode) {
    }
}
