package io.v2store.etcdctl.client;

import java.util.List;

/**
 * A role as the Go v2 client decodes it. A null list is Go's nil slice, distinct from an empty
 * one: etcdctl compares the role before and after a grant with {@code reflect.DeepEqual}, which
 * tells them apart, and record equality does the same.
 */
public record AuthRole(String role, Permissions permissions, Permissions grant, Permissions revoke) {
    /** The {@code kv} read and write prefixes; each list may be null (JSON null or absent). */
    public record Permissions(List<String> read, List<String> write) {
        public static final Permissions NONE = new Permissions(null, null);
    }

    /** What a grant or revoke names: read, write, or both. */
    public enum Access {
        READ, WRITE, READ_WRITE;

        Permissions of(List<String> prefixes) {
            return new Permissions(this == WRITE ? null : prefixes, this == READ ? null : prefixes);
        }
    }
}
