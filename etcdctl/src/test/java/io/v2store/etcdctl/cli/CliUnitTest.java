package io.v2store.etcdctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.v2store.testkit.LoopbackPorts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CliUnitTest {
    @Test
    void execWatchArgumentRules() {
        assertEquals(new ExecWatchCommand.Invocation("/k", List.of("sh", "-c", "x")),
                ExecWatchCommand.Invocation.of(List.of("/k", "--", "sh", "-c", "x")));
        assertEquals(new ExecWatchCommand.Invocation("/k", List.of("sh", "-c", "x")),
                ExecWatchCommand.Invocation.of(List.of("sh", "-c", "x", "/k")));
        assertEquals(new ExecWatchCommand.Invocation("/k", List.of("echo", "--", "y")),
                ExecWatchCommand.Invocation.of(List.of("/k", "--", "echo", "--", "y")));
        final CliExit tooFew = assertThrows(CliExit.class, () -> ExecWatchCommand.Invocation.of(List.of("/k")));
        assertEquals("Error:  key and command to exec required\n", tooFew.stderrText());
        assertEquals(ExitCodes.BAD_ARGS, tooFew.exitCode());
    }

    @Test
    void goDurations() {
        assertEquals(2000, GoDuration.parseMillis("2s"));
        assertEquals(500, GoDuration.parseMillis("500ms"));
        assertEquals(90_000, GoDuration.parseMillis("1m30s"));
        assertEquals(1500, GoDuration.parseMillis("1.5s"));
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parseMillis("2"));
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parseMillis("2x"));
    }

    @Test
    void goDurationsTakeASignAndBothMicroSigns() {
        assertEquals(1000, GoDuration.parseMillis("+1s"));
        assertEquals(-1500, GoDuration.parseMillis("-1.5s"));
        assertEquals(0, GoDuration.parseMillis("-0"));
        assertEquals(2, GoDuration.parseMillis("2000\u03bcs"));
        assertEquals(2, GoDuration.parseMillis("2000\u00b5s"));
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parseMillis("-"));
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parseMillis("+-1s"));
    }

    @Test
    void badTimeoutsAreFlagParseErrorsAndAZeroTotalTimeoutIsAlreadyOver() {
        final CliRun.Outcome bad = CliRun.run(Map.of(), "--timeout", "bad", "--no-sync", "--endpoints", "http://127.0.0.1:1",
                "get", "/k");
        assertEquals(1, bad.code());
        assertEquals("invalid value \"bad\" for flag -timeout: parse error\n", bad.err());
        assertTrue(bad.out().startsWith("Incorrect Usage. invalid value \"bad\" for flag -timeout: parse error\n\n"
                + "Usage: etcdctl [global options]"), bad.out());
        // Go parses the global flags before it looks at the command: a usage error whatever follows
        for (List<String> args : List.of(List.of("-total-timeout", "5", "ls"), List.of("--total-timeout=5", "frob"),
                List.of("--timeout=x", "get"))) {
            final CliRun.Outcome r = CliRun.run(Map.of(), args.toArray(new String[0]));
            final String flag = args.get(0).replaceFirst("^-+", "-").replaceFirst("=.*$", "");
            final String value = args.get(0).contains("=") ? args.get(0).replaceFirst("^.*=", "") : args.get(1);
            final String error = "invalid value \"" + value + "\" for flag " + flag + ": parse error";
            assertEquals(1, r.code(), args.toString());
            assertEquals(error + "\n", r.err(), args.toString());
            assertTrue(r.out().startsWith("Incorrect Usage. " + error + "\n\n"), args + ": " + r.out());
        }
        final CliRun.Outcome signed = CliRun.run(Map.of(), "--timeout", "+1s", "--no-sync", "--endpoints", "http://127.0.0.1:1",
                "get", "/k");
        assertEquals(4, signed.code(), signed.err());
        assertTrue(signed.err().startsWith("Error:  client: etcd cluster is unavailable"), signed.err());
        // Go's context.WithTimeout(ctx, 0) is over at once: nothing is asked of the server.
        final CliRun.Outcome zero = CliRun.run(Map.of(), "--total-timeout", "0", "--no-sync", "--endpoints", "http://127.0.0.1:1",
                "get", "/k");
        assertEquals(4, zero.code(), zero.err());
        assertEquals("Error:  context deadline exceeded\n", zero.err());
        final CliRun.Outcome zeroSync = CliRun.run(Map.of(), "--total-timeout", "0", "--endpoints", "http://127.0.0.1:1",
                "get", "/k");
        assertEquals(2, zeroSync.code(), zeroSync.err());
        assertEquals("Error:  context deadline exceeded\n", zeroSync.err());
    }

    @Test
    void otherApiVersionsAreRefusedClearly() {
        final CliRun.Outcome r = CliRun.run(Map.of("ETCDCTL_API", "3"), "get", "/k");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("only the v2 command set"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void versionAndUnknownCommand() {
        assertEquals("etcdctl version: 3.4.23\nAPI version: 2\n", CliRun.run(Map.of(), "--version").out());
        final CliRun.Outcome unknown = CliRun.run(Map.of(), "frob");
        assertEquals(3, unknown.code());
        assertEquals("No help topic for 'frob'\n", unknown.err());
        final CliRun.Outcome attached = CliRun.run(Map.of(), "-ojson", "get", "/k");
        assertEquals(1, attached.code());
        assertTrue(attached.out().startsWith("Incorrect Usage. flag provided but not defined: -ojson\n\n"), attached.out());
        assertEquals("flag provided but not defined: -ojson\n", attached.err());
        final CliRun.Outcome clustered = CliRun.run(Map.of(), "--endpoints", "http://127.0.0.1:1", "ls", "-rp");
        assertEquals(1, clustered.code());
        assertTrue(clustered.out().startsWith("Incorrect Usage: flag provided but not defined: -rp\n\n"), clustered.out());
        assertEquals("flag provided but not defined: -rp\n", clustered.err());
    }

    @Test
    void theVersionAloneBuildsNoCommandsModelButAnythingThatMayPrintTheHelpBuildsAll() {
        for (List<String> args : List.of(List.of("--version"), List.of("-v"), List.of("--no-sync", "--version", "--debug"))) {
            final picocli.CommandLine cl = new picocli.CommandLine(new RootCommand());
            CommandRegistry.register(cl, args.toArray(new String[0]));
            assertEquals(Map.of(), cl.getSubcommands(), args.toString());
            assertEquals("etcdctl version: 3.4.23\nAPI version: 2\n", CliRun.run(Map.of(), args.toArray(new String[0])).out());
        }
        for (List<String> args : List.of(List.of("--version", "--help"), List.of("--version", "--bogus"),
                List.of("--timeout", "x", "--version"), List.of("--version=false"))) {
            final picocli.CommandLine cl = new picocli.CommandLine(new RootCommand());
            CommandRegistry.register(cl, args.toArray(new String[0]));
            assertTrue(cl.getSubcommands().containsKey("set") && cl.getSubcommands().containsKey("auth"), args.toString());
        }
        // --help wins, and lists the commands; a bad flag's usage error shows the help too
        assertTrue(CliRun.run(Map.of(), "--version", "--help").out().contains("exec-watch"));
        final CliRun.Outcome bogus = CliRun.run(Map.of(), "--version", "--bogus");
        assertEquals(1, bogus.code());
        assertTrue(bogus.out().contains("exec-watch"), bogus.out());
    }

    @Test
    void aFlagByTwoOfItsNamesIsRefusedAtTheLevelThatDefinesItAsUrfaveCliRefusesIt() {
        // what Debian's etcdctl 3.4.23 printed first on stdout for each (then its help; stderr: the error alone)
        final Map<List<String>, String> cases = new java.util.LinkedHashMap<>();
        final String two = "Cannot use two forms of the same flag: ";
        cases.put(List.of("ls", "-r", "--recursive", "/"), "Incorrect Usage: " + two + "r recursive\n\n");
        cases.put(List.of("ls", "/", "--recursive", "-r"), "Incorrect Usage: " + two + "r recursive\n\n");
        // the first flag in the command's own order, whatever order they were typed in
        cases.put(List.of("ls", "-q", "--quorum", "--sort", "-r", "--recursive", "/"), "Incorrect Usage: " + two + "r recursive\n\n");
        // before the help is shown; the help flag itself comes after the command's own
        cases.put(List.of("ls", "-r", "--recursive", "--help", "/"), "Incorrect Usage: " + two + "r recursive\n\n");
        cases.put(List.of("ls", "--help", "-h", "-q", "--quorum"), "Incorrect Usage: " + two + "q quorum\n\n");
        cases.put(List.of("ls", "--help", "-h"), "Incorrect Usage: " + two + "h help\n\n");
        // a command's parse error comes first; the app (the root, a group) checks the flags before it
        cases.put(List.of("ls", "-r", "--recursive", "--sort=maybe", "/"),
                "Incorrect Usage: invalid boolean value \"maybe\" for -sort: parse error\n\n");
        cases.put(List.of("-o", "json", "--output", "simple", "get", "/k"), two + "o output\nUsage: etcdctl");
        cases.put(List.of("-o", "json", "--output", "simple", "--bogus", "get", "/k"), two + "o output\nUsage: etcdctl");
        cases.put(List.of("--bogus", "-o", "json", "--output", "simple", "get", "/k"),
                "Incorrect Usage. flag provided but not defined: -bogus\n\n");
        cases.put(List.of("--timeout", "xyz", "-o", "json", "--output", "simple", "get", "/k"),
                "Incorrect Usage. invalid value \"xyz\" for flag -timeout: parse error\n\n");
        cases.put(List.of("-o", "json", "--output", "simple", "--timeout", "xyz", "get", "/k"), two + "o output\nUsage: etcdctl");
        cases.put(List.of("--no-sync=maybe", "-o", "json", "--output", "simple", "get", "/k"),
                "Incorrect Usage. invalid boolean value \"maybe\" for -no-sync: parse error\n\n");
        cases.put(List.of("-o", "json", "--output"), "Incorrect Usage. flag needs an argument: -output\n\n");
        cases.put(List.of("member", "-h", "--help=maybe", "list"),
                "Incorrect Usage. invalid boolean value \"maybe\" for -help: parse error\n\n");
        cases.put(List.of("-C", "http://127.0.0.1:1", "--peers", "http://127.0.0.1:1", "get", "/k"), two + "C peers\nUsage: etcdctl");
        cases.put(List.of("-v", "--version"), two + "v version\nUsage: etcdctl");
        cases.put(List.of("-h", "--help", "-v", "--version"), two + "h help\nUsage: etcdctl");
        // the global level's conflict before the command's usage error
        cases.put(List.of("-o", "json", "--output", "simple", "get", "--bogus", "/k"), two + "o output\nUsage: etcdctl");
        // a group of commands is an app of its own: the error, a blank line, its help
        cases.put(List.of("member", "--help", "-h"), two + "h help\n\nUsage: etcdctl member");
        cases.put(List.of("member", "list", "-h", "--help"), "Incorrect Usage: " + two + "h help\n\n");
        cases.put(List.of("role", "grant", "-h", "--help", "r", "-path", "/x", "-read"), "Incorrect Usage: " + two + "h help\n\n");
        for (Map.Entry<List<String>, String> c : cases.entrySet()) {
            final CliRun.Outcome r = CliRun.run(Map.of(), c.getKey().toArray(new String[0]));
            assertEquals(1, r.code(), c.getKey() + ": " + r.out() + r.err());
            assertTrue(r.out().startsWith(c.getValue()), c.getKey() + ": " + r.out());
            final String error = c.getValue().replaceFirst("^Incorrect Usage[:.] ", "").replaceFirst("\n[\\s\\S]*$", "");
            assertEquals(error + "\n", r.err(), c.getKey().toString());
        }
        // the same name twice is no conflict in Go: the last value wins
        final CliRun.Outcome twice = CliRun.run(Map.of(), "-o", "json", "-o", "extended", "--no-sync", "--endpoints",
                "http://127.0.0.1:1", "ls", "-r", "-r", "/");
        assertEquals(4, twice.code(), twice.out() + twice.err());
        assertTrue(twice.err().startsWith("Error:  client: etcd cluster is unavailable"), twice.err());
    }

    @Test
    void anUnknownFlagIsRefusedEvenBesideTheHelpOrTheVersionAsGosFlagPackageRefusesIt() {
        final Map<List<String>, String> cases = new java.util.LinkedHashMap<>();
        cases.put(List.of("--version", "--bogus"), "Incorrect Usage. flag provided but not defined: -bogus");
        cases.put(List.of("--bogus", "--version"), "Incorrect Usage. flag provided but not defined: -bogus");
        cases.put(List.of("set", "--help", "--bogus"), "Incorrect Usage: flag provided but not defined: -bogus");
        cases.put(List.of("member", "list", "--help", "--bogus"), "Incorrect Usage: flag provided but not defined: -bogus");
        // a group of commands is an app of its own to urfave/cli: its usage errors read as the top level's
        cases.put(List.of("member", "--help", "--bogus"), "Incorrect Usage. flag provided but not defined: -bogus");
        cases.put(List.of("user", "--x"), "Incorrect Usage. flag provided but not defined: -x");
        for (Map.Entry<List<String>, String> c : cases.entrySet()) {
            final CliRun.Outcome r = CliRun.run(Map.of(), c.getKey().toArray(new String[0]));
            assertEquals(1, r.code(), c.getKey().toString());
            assertTrue(r.out().startsWith(c.getValue() + "\n\n"), c.getKey() + ": " + r.out());
            assertEquals(c.getValue().substring("Incorrect Usage. ".length()) + "\n", r.err(), c.getKey().toString());
        }
        // a help or version flag set to false is no request for either: Go runs the command
        final CliRun.Outcome falseHelp = CliRun.run(Map.of(), "--help=false", "--version=0", "frob");
        assertEquals(3, falseHelp.code(), falseHelp.out());
        assertEquals("No help topic for 'frob'\n", falseHelp.err());
        final CliRun.Outcome falseCommandHelp = CliRun.run(Map.of(), "--endpoints", "http://127.0.0.1:1", "--no-sync",
                "ls", "-h=f", "/");
        assertEquals(4, falseCommandHelp.code(), falseCommandHelp.out());
        assertTrue(falseCommandHelp.err().startsWith("Error:  client: etcd cluster is unavailable"), falseCommandHelp.err());
        // but a command has no --version flag, whatever its value
        final CliRun.Outcome commandVersion = CliRun.run(Map.of(), "ls", "--version=false", "/");
        assertEquals(1, commandVersion.code());
        assertEquals("flag provided but not defined: -version\n", commandVersion.err());
        // a word in the command's place is no flag, whatever it looks like
        final CliRun.Outcome afterDashes = CliRun.run(Map.of(), "--version", "--", "-x");
        assertEquals(0, afterDashes.code(), afterDashes.err());
        assertEquals("etcdctl version: 3.4.23\nAPI version: 2\n", afterDashes.out());
    }

    @Test
    void aMissingOrUnparsableFlagValueIsWordedAsGosFlagPackageWordsIt() {
        final Map<List<String>, String> cases = new java.util.LinkedHashMap<>();
        cases.put(List.of("-o"), "Incorrect Usage. flag needs an argument: -o");
        cases.put(List.of("--endpoints"), "Incorrect Usage. flag needs an argument: -endpoints");
        cases.put(List.of("--no-sync=maybe", "ls"), "Incorrect Usage. invalid boolean value \"maybe\" for -no-sync: parse error");
        cases.put(List.of("get", "--sort=x", "/k"), "Incorrect Usage: invalid boolean value \"x\" for -sort: parse error");
        cases.put(List.of("ls", "-r=maybe"), "Incorrect Usage: invalid boolean value \"maybe\" for -r: parse error");
        cases.put(List.of("set", "--ttl", "x", "/k", "v"), "Incorrect Usage: invalid value \"x\" for flag -ttl: parse error");
        cases.put(List.of("set", "-ttl", "/k"), "Incorrect Usage: invalid value \"/k\" for flag -ttl: parse error");
        cases.put(List.of("rm", "--with-index", "9223372036854775808", "/k"),
                "Incorrect Usage: invalid value \"9223372036854775808\" for flag -with-index: value out of range");
        cases.put(List.of("watch", "--after-index", "x", "/k"),
                "Incorrect Usage: invalid value \"x\" for flag -after-index: parse error");
        for (Map.Entry<List<String>, String> c : cases.entrySet()) {
            final CliRun.Outcome r = CliRun.run(Map.of(), c.getKey().toArray(new String[0]));
            assertEquals(1, r.code(), c.getKey().toString());
            assertTrue(r.out().startsWith(c.getValue() + "\n\n"), c.getKey() + ": " + r.out());
            assertEquals(c.getValue().substring("Incorrect Usage. ".length()) + "\n", r.err(), c.getKey().toString());
        }
    }

    @Test
    void globalFlagsTakeOneDashAsGosFlagPackageDoes() {
        // Go's flag package reads -name as --name: scripts call "etcdctl -version" and
        // "etcdctl -endpoints ... -no-sync ls".
        assertEquals("etcdctl version: 3.4.23\nAPI version: 2\n", CliRun.run(Map.of(), "-version").out());
        assertTrue(CliRun.run(Map.of(), "-help").out().contains("--endpoints"));
        final CliRun.Outcome ls = CliRun.run(Map.of(), "-endpoints", "http://127.0.0.1:1", "-no-sync", "-o=json", "-timeout=1s",
                "ls", "/");
        assertEquals(4, ls.code(), ls.err());
        assertTrue(ls.err().startsWith("Error:  client: etcd cluster is unavailable or misconfigured"), ls.err());
        final CliRun.Outcome unknown = CliRun.run(Map.of(), "-frob", "ls");
        assertEquals(1, unknown.code());
        assertTrue(unknown.out().startsWith("Incorrect Usage. flag provided but not defined: -frob\n\n"), unknown.out());
        assertEquals("flag provided but not defined: -frob\n", unknown.err());
    }

    @Test
    void commandFlagsTakeOneDashAsInEtcdsAuthenticationGuide() {
        // etcd's v2 authentication guide: "etcdctl role grant myrolename -path '/foo/*' -read",
        // "etcdctl user grant myusername -roles foo,bar,baz".
        for (List<String> args : List.of(
                List.of("role", "grant", "r", "-path", "/foo/*", "-read"),
                List.of("role", "revoke", "r", "-path=/foo/bar", "-write"),
                List.of("user", "grant", "u", "-roles", "foo,bar,baz"))) {
            final List<String> all = new java.util.ArrayList<>(List.of("--endpoints", "http://127.0.0.1:1"));
            all.addAll(args);
            final CliRun.Outcome r = CliRun.run(Map.of(), all.toArray(new String[0]));
            assertEquals(2, r.code(), args + ": " + r.err());
            assertTrue(r.err().startsWith("Error:  client: etcd cluster is unavailable or misconfigured"), r.err());
        }
        final CliRun.Outcome unknown = CliRun.run(Map.of(), "--endpoints", "http://127.0.0.1:1", "role", "grant", "-frob", "r");
        assertEquals(1, unknown.code());
        assertTrue(unknown.out().startsWith("Incorrect Usage: flag provided but not defined: -frob\n\n"), unknown.out());
        assertEquals("flag provided but not defined: -frob\n", unknown.err());
    }

    @Test
    void aGroupsSubcommandTakesItsFlagsAsUrfaveCliReordersThem() {
        // urfave/cli moves the command's own flags, each with the word after it, before the other
        // words: a flag left without its value at the end takes the user or role name for it, and
        // a word that is no flag of the command, after the name, is an argument.
        final Map<List<String>, String> cases = new java.util.LinkedHashMap<>();
        cases.put(List.of("user", "revoke", "a", "--roles"), "Please provide a username\n");
        cases.put(List.of("user", "grant", "a", "-roles"), "Please provide a username\n");
        cases.put(List.of("role", "revoke", "a", "--path"), "Not canonical path; please use `--path=/a`\n");
        cases.put(List.of("role", "grant", "r", "-frob"), "No path specified; please use `--path`\n");
        for (Map.Entry<List<String>, String> c : cases.entrySet()) {
            final List<String> all = new java.util.ArrayList<>(List.of("--endpoints", "http://127.0.0.1:1"));
            all.addAll(c.getKey());
            final CliRun.Outcome r = CliRun.run(Map.of(), all.toArray(new String[0]));
            assertEquals(1, r.code(), c.getKey().toString());
            assertEquals("", r.out(), c.getKey().toString());
            assertEquals(c.getValue(), r.err(), c.getKey().toString());
        }
    }

    @Test
    void aBooleanFlagWithAnEmptyValueIsAUsageError() {
        // Go's strconv.ParseBool refuses "": "etcdctl ls --sort=$SORT" with SORT unset.
        final Map<List<String>, String> cases = new java.util.LinkedHashMap<>();
        cases.put(List.of("--no-sync=", "ls", "/"), "Incorrect Usage. invalid boolean value \"\" for -no-sync: parse error");
        cases.put(List.of("-debug=", "get", "/k"), "Incorrect Usage. invalid boolean value \"\" for -debug: parse error");
        cases.put(List.of("ls", "--sort="), "Incorrect Usage: invalid boolean value \"\" for -sort: parse error");
        cases.put(List.of("ls", "/d", "-r="), "Incorrect Usage: invalid boolean value \"\" for -r: parse error");
        cases.put(List.of("role", "grant", "r", "--path", "/x", "--read="),
                "Incorrect Usage: invalid boolean value \"\" for -read: parse error");
        for (Map.Entry<List<String>, String> c : cases.entrySet()) {
            final List<String> all = new java.util.ArrayList<>(List.of("--endpoints", "http://127.0.0.1:1"));
            all.addAll(c.getKey());
            final CliRun.Outcome r = CliRun.run(Map.of(), all.toArray(new String[0]));
            assertEquals(1, r.code(), c.getKey().toString());
            assertTrue(r.out().startsWith(c.getValue() + "\n\n"), c.getKey() + ": " + r.out());
            assertEquals(c.getValue().substring("Incorrect Usage. ".length()) + "\n", r.err(), c.getKey().toString());
        }
        // after "--" it is an argument like any other
        final CliRun.Outcome key = CliRun.run(Map.of(), "--endpoints", "http://127.0.0.1:1", "--no-sync", "get", "--", "--sort=");
        assertEquals(ExitCodes.SERVER_ERROR, key.code(), key.err());
    }

    @Test
    void anEmptyCommandWordShowsTheHelpOfTheCommandItIsIn() {
        // urfave/cli finds no command named "" and prints the app's (or the group's) help, exit 0:
        // "etcdctl "$cmd" ..." with an empty $cmd.
        final String rootHelp = CliRun.run(Map.of()).out();
        final String memberHelp = CliRun.run(Map.of(), "member").out();
        assertTrue(rootHelp.startsWith("Usage: etcdctl [global options]"), rootHelp);
        for (List<String> args : List.of(List.of(""), List.of("", "get", "/k"), List.of("--", ""), List.of("help", ""),
                List.of("--endpoints", "http://127.0.0.1:1", "", "frob"), List.of("member", ""),
                List.of("user", "", "list"), List.of("member", "help", ""))) {
            final CliRun.Outcome r = CliRun.run(Map.of(), args.toArray(new String[0]));
            assertEquals(0, r.code(), args.toString());
            assertEquals("", r.err(), args.toString());
            assertEquals(args.get(0).equals("member") ? memberHelp : args.get(0).equals("user")
                    ? CliRun.run(Map.of(), "user").out() : rootHelp, r.out(), args.toString());
        }
    }

    @Test
    void helpForAnUnknownCommandIsNoHelpTopicExitThree() {
        for (List<String> args : List.of(List.of("help", "frob"), List.of("h", "frob"), List.of("help", "frob", "get"))) {
            final CliRun.Outcome r = CliRun.run(Map.of(), args.toArray(new String[0]));
            assertEquals(3, r.code(), args.toString());
            assertEquals("No help topic for 'frob'\n", r.err(), args.toString());
            assertEquals("", r.out(), args.toString());
        }
    }

    @Test
    void completionScriptsComeFromTheCommandDefinitions() {
        for (String shell : List.of("bash", "zsh")) {
            final CliRun.Outcome r = CliRun.run(Map.of(), "completion", shell);
            assertEquals(0, r.code());
            assertTrue(r.out().contains("complete -F"), r.out());
            assertTrue(r.out().contains("exec-watch") && r.out().contains("--swap-with-value")
                    && r.out().contains("cluster-health"), "commands and their flags are completed");
            assertTrue(r.out().contains("bashcompinit"), "zsh support");
        }
        assertEquals(1, CliRun.run(Map.of(), "completion", "fish").code());
    }

    @Test
    void aSyncCutShortByTheTotalTimeoutIsAConnectionError() throws IOException {
        // Debian's etcdctl against an endpoint that accepts and never answers: the sync's context
        // expires, and Go's context.DeadlineExceeded counts as a connection error (exit 2), for
        // key, member and user commands alike; without the sync the request itself fails (exit 4).
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            final String endpoint = "http://127.0.0.1:" + silent.getLocalPort();
            for (List<String> command : List.of(List.of("get", "/x"), List.of("member", "list"), List.of("user", "list"))) {
                final List<String> args = new java.util.ArrayList<>(List.of("--endpoints", endpoint, "--total-timeout", "300ms"));
                args.addAll(command);
                final CliRun.Outcome r = CliRun.run(Map.of(), args.toArray(String[]::new));
                assertEquals("Error:  context deadline exceeded\n", r.err(), command.toString());
                assertEquals(ExitCodes.BAD_CONNECTION, r.code(), command.toString());
            }
            final CliRun.Outcome noSync = CliRun.run(Map.of(), "--endpoints", endpoint, "--total-timeout", "300ms", "--no-sync", "get", "/x");
            assertEquals("Error:  context deadline exceeded\n", noSync.err());
            assertEquals(ExitCodes.SERVER_ERROR, noSync.code());
        }
    }

    @Test
    void aDeleteOrCreateThatMayHaveArrivedIsNotSentToTheNextEndpoint() throws IOException {
        // Go's client sends a delete and a create (mk, mkdir) once: against an endpoint that
        // takes the request and answers too late, Debian's etcdctl says so and exits 4, where a
        // retry on the next endpoint would answer "Key not found" or "Key already exists" for
        // the first one's work. Other writes go on to the next endpoint, as before.
        final List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        final com.sun.net.httpserver.HttpServer next = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        next.createContext("/", exchange -> {
            seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            final byte[] body = ("{\"action\":\"set\",\"node\":{\"key\":\"/k\",\"value\":\"v\","
                    + "\"modifiedIndex\":2,\"createdIndex\":2}}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.getResponseHeaders().add("X-Etcd-Index", "2");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        next.start();
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            final String slow = "http://127.0.0.1:" + silent.getLocalPort();
            final String endpoints = slow + ",http://127.0.0.1:" + next.getAddress().getPort();
            for (List<String> command : List.of(List.of("rm", "/k"), List.of("rmdir", "/k"), List.of("mk", "/k", "v"),
                    List.of("mkdir", "/k"))) {
                final List<String> args = new java.util.ArrayList<>(List.of("--endpoints", endpoints, "--no-sync",
                        "--timeout", "200ms"));
                args.addAll(command);
                final CliRun.Outcome r = CliRun.run(Map.of(), args.toArray(String[]::new));
                assertEquals("Error:  client: endpoint " + slow + " exceeded header timeout\n", r.err(), command.toString());
                assertEquals(ExitCodes.SERVER_ERROR, r.code(), command.toString());
            }
            assertEquals(List.of(), seen, "no retry on the next endpoint");

            final CliRun.Outcome set = CliRun.run(Map.of(), "--endpoints", endpoints, "--no-sync", "--timeout", "200ms", "set", "/k", "v");
            assertEquals(0, set.code(), set.err());
            assertEquals(List.of("PUT /v2/keys/k"), seen);

            // An endpoint that cannot be connected to never got the request: the next one is tried.
            final int closed = LoopbackPorts.next();
            final CliRun.Outcome rm = CliRun.run(Map.of(), "--endpoints", "http://127.0.0.1:" + closed + ",http://127.0.0.1:"
                    + next.getAddress().getPort(), "--no-sync", "rm", "/k");
            assertEquals(0, rm.code(), rm.err());
            assertEquals(List.of("PUT /v2/keys/k", "DELETE /v2/keys/k"), seen);
        } finally {
            next.stop(0);
        }
    }

    @Test
    void anEndpointThatAnswersNoEtcdJsonIsSaidToBeNoEtcdEndpoint() throws IOException {
        // Debian's etcdctl against a web server (or an endpoint URL with a path): Go's ErrInvalidJSON.
        final com.sun.net.httpserver.HttpServer web = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        web.createContext("/", exchange -> {
            final byte[] body = (exchange.getRequestURI().getPath().endsWith("/ok") ? "<html>hello</html>"
                    : "404 page not found\n").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(exchange.getRequestURI().getPath().endsWith("/ok") ? 200 : 404, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        web.start();
        try {
            final String endpoint = "http://127.0.0.1:" + web.getAddress().getPort();
            for (List<String> command : List.of(List.of("get", "/k"), List.of("get", "/ok"), List.of("ls", "/"),
                    List.of("set", "/k", "v"), List.of("rm", "/k"), List.of("watch", "/k"))) {
                final List<String> args = new java.util.ArrayList<>(List.of("--endpoints", endpoint, "--no-sync"));
                args.addAll(command);
                final CliRun.Outcome r = CliRun.run(Map.of(), args.toArray(String[]::new));
                assertEquals("Error:  client: response is invalid json. The endpoint is probably not valid etcd "
                        + "cluster endpoint\n", r.err(), command.toString());
                assertEquals(ExitCodes.SERVER_ERROR, r.code(), command.toString());
            }
        } finally {
            web.stop(0);
        }
    }

    @Test
    void aRepeatedOptionTakesItsLastValueAsGosFlagsDo() throws IOException {
        // Debian's etcdctl (Go's flag package): "-u a -u b" authenticates as b and
        // "role grant --path /x --read --path /y" grants /y, where a usage error would break a
        // wrapper script that puts its defaults before the caller's own options.
        final List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        final com.sun.net.httpserver.HttpServer fake = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        fake.createContext("/", exchange -> {
            final String sent = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
                    + exchange.getRequestHeaders().getFirst("Authorization") + " " + sent);
            final String read = exchange.getRequestMethod().equals("PUT") ? "[\"/y\"]" : "[]";
            final byte[] body = ("{\"role\":\"r\",\"permissions\":{\"kv\":{\"read\":" + read
                    + ",\"write\":[]}}}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        fake.start();
        try {
            final String endpoint = "http://127.0.0.1:" + fake.getAddress().getPort();
            final CliRun.Outcome r = CliRun.run(Map.of(), "--endpoints", "http://127.0.0.1:1", "--endpoints", endpoint,
                    "--no-sync", "--username", "root:a", "--username", "root:b",
                    "role", "grant", "--path", "/x", "--read", "--path", "/y", "r");
            assertEquals("", r.err());
            assertEquals(0, r.code());
            assertEquals("Role r updated\n", r.out());
            final String rootB = "Basic " + java.util.Base64.getEncoder().encodeToString(
                    "root:b".getBytes(StandardCharsets.UTF_8));
            assertEquals(2, seen.size(), seen.toString());
            assertTrue(seen.get(1).startsWith("PUT /v2/auth/roles/r " + rootB + " "), seen.toString());
            assertTrue(seen.get(1).contains("\"grant\":{\"kv\":{\"read\":[\"/y\"]"), seen.toString());
        } finally {
            fake.stop(0);
        }
    }

    @Test
    void intFlagsAreReadAsGosFlagPackageReadsThem() throws IOException {
        // Debian's etcdctl parses an int flag with strconv.ParseInt(s, 0, 64): "--ttl 010" is 8
        // seconds (octal), "0x10" 16, "1_000" 1000; and it sends an index as Go's uint64, so
        // "--with-index -1" compares with 18446744073709551615 (error 101, not 203).
        final List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        final com.sun.net.httpserver.HttpServer fake = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        fake.createContext("/", exchange -> {
            final String sent = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " " + sent);
            final byte[] body = ("{\"action\":\"set\",\"node\":{\"key\":\"/k\",\"value\":\"v\","
                    + "\"modifiedIndex\":2,\"createdIndex\":2}}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.getResponseHeaders().add("X-Etcd-Index", "2");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        fake.start();
        try {
            final String endpoint = "http://127.0.0.1:" + fake.getAddress().getPort();
            final List<List<String>> commands = List.of(List.of("set", "--ttl", "010", "/k", "v"),
                    List.of("set", "--ttl=0x10", "/k", "v"), List.of("set", "-ttl", "1_000", "/k", "v"),
                    List.of("mkdir", "--ttl", "0b11", "/d"), List.of("set", "--swap-with-index", "0o17", "/k", "v"),
                    List.of("rm", "--with-index", "-1", "/k"));
            for (List<String> command : commands) {
                final List<String> args = new java.util.ArrayList<>(List.of("--endpoints", endpoint, "--no-sync"));
                args.addAll(command);
                final CliRun.Outcome r = CliRun.run(Map.of(), args.toArray(String[]::new));
                assertEquals("", r.err(), command.toString());
                assertEquals(0, r.code(), command.toString());
            }
            assertEquals(List.of("PUT /v2/keys/k ttl=8&value=v", "PUT /v2/keys/k ttl=16&value=v",
                    "PUT /v2/keys/k ttl=1000&value=v", "PUT /v2/keys/d?dir=true&prevExist=false ttl=3",
                    "PUT /v2/keys/k?prevIndex=15 value=v", "DELETE /v2/keys/k?prevIndex=18446744073709551615 "),
                    seen);
            for (String bad : List.of("08", "0x", "1__0", "_1", "1_", "9223372036854775808", "")) {
                final CliRun.Outcome r = CliRun.run(Map.of(), "--endpoints", endpoint, "--no-sync", "set", "--ttl", bad, "/k", "v");
                assertEquals(ExitCodes.BAD_ARGS, r.code(), bad);
                assertTrue(r.out().startsWith("Incorrect Usage: "), r.out());
                assertTrue(r.err().startsWith("invalid value \"" + bad + "\" for flag -ttl: "), r.err());
            }
            assertEquals(6, seen.size(), "nothing sent for a value Go refuses");
        } finally {
            fake.stop(0);
        }
    }

    @Test
    void aDeleteOrCreateNoEndpointCouldTakeReportsTheEndpointsOwnError() throws IOException {
        // Go's client ends a one-shot request (rm, rmdir, mk, mkdir) at the endpoint's error:
        // "Error:  dial tcp ...: connect: connection refused", where other requests report the
        // cluster as unavailable.
        final int closed = LoopbackPorts.next();
        final String endpoint = "http://127.0.0.1:" + closed;
        for (List<String> command : List.of(List.of("rm", "/k"), List.of("rmdir", "/d"), List.of("mk", "/k", "v"),
                List.of("-o", "json", "mkdir", "/d"), List.of("rm", "-r", "/d"))) {
            final List<String> args = new java.util.ArrayList<>(List.of("--endpoints", endpoint, "--no-sync"));
            args.addAll(command);
            final CliRun.Outcome r = CliRun.run(Map.of(), args.toArray(String[]::new));
            assertEquals("Error:  dial tcp 127.0.0.1:" + closed + ": connect: connection refused\n", r.err(),
                    command.toString());
            assertEquals(ExitCodes.SERVER_ERROR, r.code(), command.toString());
            assertEquals("", r.out());
        }
        final CliRun.Outcome set = CliRun.run(Map.of(), "--endpoints", endpoint, "--no-sync", "set", "/k", "v");
        assertEquals(ExitCodes.SERVER_ERROR, set.code());
        assertTrue(set.err().startsWith("Error:  client: etcd cluster is unavailable or misconfigured; error #0: dial tcp"),
                set.err());
    }
}
