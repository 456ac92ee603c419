package io.v2store.etcdctl.cli;

import io.v2store.etcdctl.client.ClusterUnavailableException;
import io.v2store.etcdctl.client.HttpTransport;
import io.v2store.etcdctl.client.Member;
import io.v2store.etcdctl.client.MembersClient;
import io.v2store.etcdctl.client.V2Reply;
import io.v2store.etcdctl.client.V2Request;
import io.v2store.etcdctl.json.JsonReader;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "cluster-health", description = "check the health of the etcd cluster",
        customSynopsis = "etcdctl cluster-health [command options]")
final class ClusterHealthCommand implements Callable<Integer> {
    static final long ROUND_INTERVAL_MILLIS = 10_000;

    @ParentCommand
    RootCommand root;

    @Option(names = {"--forever", "-f"}, description = "forever check the health every 10 second until CTRL+C")
    boolean forever;

    @Option(names = {"--help", "-h"}, usageHelp = true, description = "show help")
    boolean help;

    /** Words after the options: Debian's etcdctl ignores them. */
    @Parameters(hidden = true)
    List<String> ignored;

    @Override
    public Integer call() throws Exception {
        final Session session = root.session();
        final PrintStream out = session.io().out();
        if (forever) {
            Interrupts.exitZeroOnInterrupt(session.io());
        }
        final List<Member> members;
        try {
            final HttpTransport transport = session.connect(false);
            transport.clearDeadline(); // Go lists them with context.TODO: --total-timeout does not apply
            members = new MembersClient(transport).list();
        } catch (Exception e) {
            out.print("cluster may be unhealthy: failed to list members\n");
            throw CliExit.error(ExitCodes.SERVER_ERROR, e);
        }
        while (true) {
            int healthy = 0;
            for (Member m : members) {
                healthy += checkMember(m, session, out) ? 1 : 0;
            }
            out.print(healthy == members.size() ? "cluster is healthy\n"
                    : healthy == 0 ? "cluster is unavailable\n" : "cluster is degraded\n");
            if (!forever) {
                return healthy == members.size() ? ExitCodes.SUCCESS : ExitCodes.CLUSTER_NOT_HEALTHY;
            }
            out.print("\nnext check after 10 second...\n\n");
            session.io().flush();
            Thread.sleep(ROUND_INTERVAL_MILLIS);
        }
    }

    private static boolean checkMember(Member m, Session session, PrintStream out) {
        if (m.clientUrls().isEmpty()) {
            out.print("member " + m.id() + " is unreachable: no available published client urls\n");
            return false;
        }
        for (String url : m.clientUrls()) {
            final HttpTransport probe = new HttpTransport(List.of(url), session.timeoutMillis(), null, null,
                    session.tls());
            final String health;
            try {
                final V2Reply reply = probe.fetchOnce(V2Request.get("/health", ""));
                health = healthField(reply.body());
            } catch (ClusterUnavailableException e) {
                out.print("failed to check the health of member " + m.id() + " on " + url + ": Get \"" + url
                        + "/health\": " + e.errors().get(0) + "\n");
                continue;
            } catch (Exception e) {
                out.print("failed to check the health of member " + m.id() + " on " + url + ": " + e.getMessage() + "\n");
                continue;
            }
            if (health.equals("true")) {
                out.print("member " + m.id() + " is healthy: got healthy result from " + url + "\n");
                return true;
            }
            out.print("member " + m.id() + " is unhealthy: got unhealthy result from " + url + "\n");
            return false;
        }
        out.print("member " + m.id() + " is unreachable: [" + String.join(" ", m.clientUrls()) + "] are all unreachable\n");
        return false;
    }

    /** Go decodes into {@code struct{ Health string }}, matching the key case-insensitively. */
    private static String healthField(String body) {
        if (JsonReader.parse(body) instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if ("health".equalsIgnoreCase(String.valueOf(e.getKey())) && e.getValue() instanceof String s) {
                    return s;
                }
            }
        }
        return "";
    }
}
