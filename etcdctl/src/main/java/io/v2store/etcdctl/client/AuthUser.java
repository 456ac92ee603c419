package io.v2store.etcdctl.client;

import java.util.List;

/** A user as {@code etcdctl user get} shows it: the name and the role names, as decoded by Go (see AuthJson). */
public record AuthUser(String user, List<String> roles) {
}
