package io.v2store.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every unit in deploy/systemd passes `systemd-analyze verify` with no warning at all (verify
 * exits 0 on an unknown key or a bad value and only prints it, so the output must be empty).
 * verify also insists that each ExecStart= binary exists: the units are checked against an
 * install prefix made of the unpacked release and this repository's deploy/.
 */
class SystemdUnitsTest {
  private static final Path UNITS = RepoPaths.deploy().resolve("systemd");

  @Test
  void everyUnitVerifiesWithoutWarnings(@TempDir Path work) throws IOException {
    assumeVerifyRuns(work);
    final Path prefix = installPrefix(work);
    final Path confd = stub(work, "confd");
    final List<Path> units = unitFiles();
    assertTrue(units.size() >= 6, "units: " + units);
    // All copies first: verify resolves Requires= (hello needs v2store.service) beside the file.
    for (Path unit : units) {
      Files.writeString(work.resolve(unit.getFileName()), Files.readString(unit)
          .replace("/opt/v2store", prefix.toString())
          .replace("/usr/local/bin/confd", confd.toString()));
    }
    for (Path unit : units) {
      final String name = unit.getFileName().toString();
      // A template is verified through an instance, which is how systemd would load it.
      final String target = name.endsWith("@.service") ? name.replace("@.service", "@5000.service") : name;
      final Commands.Result verify = Commands.run(work, Map.of(), 60,
          "systemd-analyze", "verify", "--man=no", "./" + target);
      assertEquals(0, verify.exitCode(), name + ": " + verify.output());
      assertEquals("", verify.output().strip(), name + " has warnings");
    }
  }

  @Test
  void memberUnitStopsGracefullyAndRestartsOnFailure() throws IOException {
    final String unit = Files.readString(UNITS.resolve("v2store.service"));
    for (String line : List.of("EnvironmentFile=/etc/v2store/v2store.env", "ExecStart=/opt/v2store/bin/etcd",
        "Restart=on-failure", "Type=notify", "KillSignal=SIGTERM", "TimeoutStopSec=30s", "SuccessExitStatus=143")) {
      assertTrue(unit.lines().anyMatch(line::equals), "v2store.service has " + line);
    }
    final String env = Files.readString(UNITS.resolve("v2store.env.example"));
    assertTrue(env.lines().filter(l -> !l.isBlank() && !l.startsWith("#"))
        .allMatch(l -> l.startsWith("ETCD_") || l.startsWith("V2STORE_")), "only ETCD_*/V2STORE_* in the env file");
  }

  @Test
  void exampleServicesRegisterAndDeregister() throws IOException {
    final String hello = Files.readString(UNITS.resolve("hello.service"));
    assertTrue(hello.contains("etcdctl set /test/%m"), "hello registers under /test/%m");
    assertTrue(hello.contains("etcdctl rm /test/%m"), "hello deregisters");
    final String sinatra = Files.readString(UNITS.resolve("sinatra@.service"));
    assertTrue(sinatra.contains("etcdctl set --ttl \"$TTL_SECONDS\" /app/server/%i \"$HOST_IP:%i\""),
        "sinatra@ heartbeats /app/server/%i with a TTL");
    assertTrue(sinatra.lines().anyMatch(l -> l.equals("ExecStop=-/opt/v2store/bin/etcdctl rm /app/server/%i")),
        "sinatra@ deregisters in ExecStop");
  }

  private static List<Path> unitFiles() throws IOException {
    try (Stream<Path> files = Files.list(UNITS)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".service")).sorted().toList();
    }
  }

  /** Skips, saying why, where systemd-analyze is missing or cannot run in this container. */
  private static void assumeVerifyRuns(Path work) throws IOException {
    assumeTrue(Commands.onPath("systemd-analyze"),
        "systemd-analyze is not installed (Debian package systemd); units not verified");
    final Path trivial = work.resolve("probe-trivial.service");
    Files.writeString(trivial, "[Service]\nExecStart=/bin/true\n");
    final Commands.Result probe = Commands.run(work, Map.of(), 60,
        "systemd-analyze", "verify", "--man=no", "./probe-trivial.service");
    Files.delete(trivial);
    assumeTrue(probe.exitCode() == 0 && probe.output().isBlank(),
        "systemd-analyze verify cannot run here: " + probe.output());
  }

  /** /opt/v2store as the user's install has it: the release's bin/ and lib/, and deploy/. */
  private static Path installPrefix(Path work) throws IOException {
    final Path prefix = Files.createDirectories(work.resolve("opt-v2store"));
    final Path release = UnpackedRelease.home();
    Files.createSymbolicLink(prefix.resolve("bin"), release.resolve("bin"));
    Files.createSymbolicLink(prefix.resolve("lib"), release.resolve("lib"));
    Files.createSymbolicLink(prefix.resolve("deploy"), RepoPaths.deploy());
    return prefix;
  }

  /** confd is not a Debian package; verify only needs an executable at the path. */
  private static Path stub(Path work, String name) throws IOException {
    final Path stub = work.resolve(name);
    Files.writeString(stub, "#!/bin/sh\nexit 0\n");
    assertTrue(stub.toFile().setExecutable(true));
    return stub;
  }
}
