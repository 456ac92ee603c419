package io.v2store.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a scenario's main (with {@code <dir>/work} as its argument) in namespaces of its own
 * (util-linux's unshare, as an unprivileged user mapped to root): a network namespace whose
 * loopback only it uses, so fixed ports are free; a mount namespace, where {@code setup} (a shell
 * line, given {@code setupArg} as $0) may mount what the scenario needs; and a pid namespace that
 * takes every process it started down with it. The scenario prints what it checks and exits 0,
 * after printing {@code passed}, only when everything held.
 */
final class Namespaces {
    private Namespaces() {}

    static void run(Class<?> scenarioClass, String passed, Path dir, String setup, String setupArg)
            throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        List<String> command = new ArrayList<>(List.of("unshare", "--map-root-user", "--net", "--mount", "--pid",
            "--fork", "--kill-child", "--mount-proc", "sh", "-ec",
            "ip link set lo up; " + setup + "; exec \"$@\"", setupArg,
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Djava.library.path=" + System.getProperty("java.library.path")));
        // the scenario's members share the archive made here, not one of their own (ServerJvm)
        Path archive = ServerJvm.archive();
        if (archive != null) {
            command.add("-D" + ServerJvm.ARCHIVE_PROPERTY + "=" + archive);
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), scenarioClass.getName(), work.toString()));
        Path output = dir.resolve("scenario.log");
        Process scenario = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        boolean finished = scenario.waitFor(4, TimeUnit.MINUTES);
        if (!finished) {
            Processes.kill9(scenario.pid()); // --kill-child: everything in the namespace goes with it
        }
        String log = Files.readString(output);
        System.out.println(log); // what was checked, in the test's report
        assertTrue(finished, "the scenario did not finish in 4 minutes:\n" + log + logs(work));
        assertEquals(0, scenario.exitValue(), log + logs(work));
        assertTrue(log.contains(passed), log);
    }

    private static String logs(Path work) throws Exception {
        StringBuilder all = new StringBuilder();
        try (var files = Files.list(work)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
                String text = Files.readString(f);
                all.append("\n--- ").append(f.getFileName()).append('\n')
                    .append(text.length() > 4000 ? text.substring(text.length() - 4000) : text);
            }
        }
        return all.toString();
    }
}
