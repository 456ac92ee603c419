package io.v2store.etcdctl.client;

import java.util.List;

/**
 * One node of a keys-API response, with the fields the Go client keeps (and re-encodes in
 * {@code -o json}). {@code nodes} is null when the server sent none; {@code expiration} is the
 * server's RFC 3339 text, or null.
 */
public record KeyNode(String key, boolean dir, String value, List<KeyNode> nodes,
                      long createdIndex, long modifiedIndex, String expiration, long ttl) {
}
