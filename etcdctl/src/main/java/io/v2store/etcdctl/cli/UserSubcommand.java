package io.v2store.etcdctl.cli;

import io.v2store.etcdctl.client.AuthUsersClient;

/** A user subcommand: Go's {@code mustUserAPIAndName} checks for one name before connecting. */
abstract class UserSubcommand extends AuthSubcommand {
    String name;

    AuthUsersClient usersWithName() {
        name = nameArg("username");
        return new AuthUsersClient(connect());
    }

    /** The new password: after the client exists (and its --total-timeout deadline runs), as in Go. */
    String askPassword() {
        try {
            return PasswordPrompt.ask(session.io(), "New password: ");
        } catch (PasswordPrompt.PromptException e) {
            throw fail("Error reading password: " + e.getMessage());
        }
    }
}
