package io.v2store.etcdctl.cli;

import io.v2store.etcdctl.client.AuthRole;
import io.v2store.etcdctl.client.AuthRolesClient;
import io.v2store.etcdctl.client.GoUrl;

/**
 * {@code role grant|revoke --path P (--read|--write|--readwrite) <role>}, checked in Go's order: the
 * path, its canonical form, exactly one access flag, then the name; then the role is read, changed,
 * and compared with what the server answers.
 */
abstract class RolePermissionChange extends RoleSubcommand {
    abstract String path();

    abstract boolean read();

    abstract boolean write();

    abstract boolean readWrite();

    /** The server's answer to the change. */
    abstract AuthRole apply(AuthRolesClient roles, String prefix, AuthRole.Access access) throws Exception;

    /** "granted" or "revoked", for the message when nothing changed. */
    abstract String done();

    @Override
    final int execute() {
        final String path = path() == null ? "" : path();
        if (path.isEmpty()) {
            throw fail("No path specified; please use `--path`");
        }
        final String canonical = GoUrl.canonicalUrlPath(path);
        if (!canonical.equals(path)) {
            throw fail("Not canonical path; please use `--path=" + canonical + "`");
        }
        final int flags = (read() ? 1 : 0) + (write() ? 1 : 0) + (readWrite() ? 1 : 0);
        if (flags != 1) {
            throw fail("Please specify exactly one of --read, --write or --readwrite");
        }
        final AuthRole.Access access = read() ? AuthRole.Access.READ
                : write() ? AuthRole.Access.WRITE : AuthRole.Access.READ_WRITE;
        final AuthRolesClient roles = rolesWithName();
        final AuthRole before;
        final AuthRole after;
        try {
            before = roles.get(name);
            after = apply(roles, path, access);
        } catch (Exception e) {
            throw fail(e);
        }
        if (after.equals(before)) {
            // Go prints this without a newline, so the next message follows on the same line.
            out().print("Role unchanged; already " + done());
        }
        out().print("Role " + name + " updated\n");
        return ExitCodes.SUCCESS;
    }
}
