package io.v2store.etcdctl.cli;

import io.v2store.etcdctl.client.SrvEndpoints;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.Model.CommandSpec;

/** The global flags of etcdctl v2 (spec 13.1); they must precede the command. */
@Command(name = "etcdctl", description = "A simple command line client for etcd (v2 API).",
        version = {"etcdctl version: 3.4.23", "API version: 2"},
        customSynopsis = "etcdctl [global options] command [command options] [arguments...]")
public final class RootCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--debug", description = "output cURL commands which can be used to reproduce the request")
    boolean debug;

    @Option(names = "--no-sync", description = "don't synchronize cluster information before sending request")
    boolean noSync;

    @Option(names = {"--output", "-o"}, paramLabel = "simple", defaultValue = "simple",
            description = "output response in the given format (simple, `extended` or `json`) (default: \"simple\")")
    String output;

    @Option(names = {"--discovery-srv", "-D"}, description = "domain name to query for SRV records describing cluster endpoints")
    String discoverySrv;

    @Option(names = "--insecure-discovery", description = "accept insecure SRV records describing cluster endpoints")
    boolean insecureDiscovery;

    @Option(names = {"--peers", "-C"}, description = "DEPRECATED - \"--endpoints\" should be used instead")
    String peers;

    @Option(names = "--endpoint", description = "DEPRECATED - \"--endpoints\" should be used instead")
    String endpoint;

    @Option(names = "--endpoints", description = "a comma-delimited list of machine addresses in the cluster "
            + "(default: \"http://127.0.0.1:2379,http://127.0.0.1:4001\")")
    String endpoints;

    @Option(names = "--cert-file", description = "identify HTTPS client using this SSL certificate file")
    String certFile;

    @Option(names = "--key-file", description = "identify HTTPS client using this SSL key file")
    String keyFile;

    @Option(names = "--ca-file", description = "verify certificates of HTTPS-enabled servers using this CA bundle")
    String caFile;

    @Option(names = {"--username", "-u"}, description = "provide username[:password] and prompt if password is not supplied.")
    String username;

    @Option(names = "--timeout", defaultValue = "2s", converter = GoDurationText.class,
            description = "connection timeout per request (default: 2s)")
    String timeout;

    @Option(names = "--total-timeout", defaultValue = "5s", converter = GoDurationText.class,
            description = "timeout for the command execution (except watch) (default: 5s)")
    String totalTimeout;

    @Option(names = {"--help", "-h"}, usageHelp = true, description = "show help")
    boolean help;

    @Option(names = {"--version", "-v"}, versionHelp = true, description = "print the version")
    boolean version;

    private Io io;

    void attach(Io io) {
        this.io = io;
    }

    Io io() {
        return io;
    }

    Session session() {
        return new Session(new GlobalOptions(debug, noSync, output, srvEndpoints(), endpoint, peers, username, timeout,
                totalTimeout, orEnv(certFile, "ETCDCTL_CERT_FILE"), orEnv(keyFile, "ETCDCTL_KEY_FILE"),
                orEnv(caFile, "ETCDCTL_CA_FILE"), insecureDiscovery() ? "" : discoveryDomain()), io);
    }

    /** --discovery-srv, or ETCDCTL_DISCOVERY_SRV; empty when neither is given. */
    private String discoveryDomain() {
        return discoverySrv == null || discoverySrv.isEmpty() ? io.env("ETCDCTL_DISCOVERY_SRV") : discoverySrv;
    }

    private boolean insecureDiscovery() {
        return insecureDiscovery || !io.env("ETCDCTL_INSECURE_DISCOVERY").isEmpty();
    }

    /**
     * --discovery-srv (or ETCDCTL_DISCOVERY_SRV): the domain's client endpoints, when it publishes
     * any, take the place of every other endpoint setting. As in Go etcdctl, http ones are dropped
     * with a warning unless --insecure-discovery (or any ETCDCTL_INSECURE_DISCOVERY) allows them,
     * and when none is left the usual endpoints apply. Unless insecure, every https server must
     * then hold a certificate for the domain itself, wherever the endpoints came from (Go
     * etcdctl's TLS ServerName; see {@link #session}).
     */
    private String srvEndpoints() {
        String domain = discoveryDomain();
        if (domain.isEmpty()) {
            return endpoints;
        }
        List<String> found;
        try {
            found = SrvEndpoints.discover(domain);
        } catch (SrvEndpoints.LookupException e) {
            throw new CliExit(ExitCodes.BAD_ARGS, e.getMessage() + "\n");
        }
        boolean insecure = insecureDiscovery();
        List<String> kept = new ArrayList<>();
        for (String endpoint : found) {
            if (!insecure && endpoint.startsWith("http://")) {
                io.err().print("ignoring discovered insecure endpoint \"" + endpoint + "\"\n");
            } else {
                kept.add(endpoint);
            }
        }
        io.err().flush(); // before the command's own output, as Go's unbuffered stderr shows it
        return kept.isEmpty() ? endpoints : String.join(",", kept);
    }

    /** A flag wins over its ETCDCTL_* variable, as in Go etcdctl. */
    private String orEnv(String flag, String variable) {
        return flag != null ? flag : io.env(variable);
    }

    @Override
    public void run() {
        spec.commandLine().usage(io.out());
    }

    /**
     * A duration flag's text, refused while parsing when Go's {@code time.ParseDuration} would refuse
     * it: Go's flag package then makes it a usage error before any command runs.
     */
    public static final class GoDurationText implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            try {
                GoDuration.parseMillis(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("invalid value \"" + value + "\": parse error");
            }
            return value;
        }
    }
}
