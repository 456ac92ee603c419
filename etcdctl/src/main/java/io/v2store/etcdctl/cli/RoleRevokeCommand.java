package io.v2store.etcdctl.cli;

import io.v2store.etcdctl.client.AuthRole;
import io.v2store.etcdctl.client.AuthRolesClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "revoke", description = "revoke path matches for an etcd role",
        customSynopsis = "etcdctl role revoke [command options] <role>")
final class RoleRevokeCommand extends RolePermissionChange {
    @Option(names = "--path", paramLabel = "value", description = "Path revoked for the role to access")
    String path;

    @Option(names = "--read", description = "Revoke read access")
    boolean read;

    @Option(names = "--write", description = "Revoke write access")
    boolean write;

    @Option(names = {"--readwrite", "--rw"}, description = "Revoke read-write access")
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
        return roles.revoke(name, prefix, access);
    }

    @Override
    String done() {
        return "revoked";
    }
}
