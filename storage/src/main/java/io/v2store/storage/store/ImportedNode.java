package io.v2store.storage.store;

/**
 * A node as another v2 store lists it (GET ?recursive=true), to start a key space from.
 *
 * @param path absolute key ("/a/b")
 * @param value null for a directory
 * @param expirationNanos absolute (unix epoch nanoseconds), or {@link NodeView#NEVER}
 */
public record ImportedNode(String path, boolean dir, String value, long createdIndex,
    long modifiedIndex, long expirationNanos) {}
