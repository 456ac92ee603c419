package io.v2store.etcdctl.cli;

import io.v2store.etcdctl.client.AuthRole;
import io.v2store.etcdctl.client.AuthRolesClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "grant", description = "grant path matches to an etcd role",
        customSynopsis = "etcdctl role grant [command options] <role>")
final class RoleGrantCommand extends RolePermissionChange {
    @Option(names = "--path", paramLabel = "value", description = "Path granted for the role to access")
    String path;

    @Option(names = "--read", description = "Grant read-only access")
    boolean read;

    @Option(names = "--write", description = "Grant write-only access")
    boolean write;

    @Option(names = {"--readwrite", "--rw"}, description = "Grant read-write access")
    boolean readWrite;

    @Override
    String path() {
        return path;
    }

    @Override
    boolean read() {
        return read;
    }

    @Override
    boolean write() {
        return write;
    }

    @Override
    boolean readWrite() {
        return readWrite;
    }

    @Override
    AuthRole apply(AuthRolesClient roles, String prefix, AuthRole.Access access) throws Exception {
        return roles.grant(name, prefix, access);
    }

    @Override
    String done() {
        return "granted";
    }
}
