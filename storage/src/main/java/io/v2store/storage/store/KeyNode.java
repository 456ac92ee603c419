package io.v2store.storage.store;

/** A leaf holding a value (possibly empty). */
final class KeyNode extends Node {
  String value;

  KeyNode(String name, long createdIndex, String value) {
    super(name, createdIndex);
    this.value = value;
  }

  @Override
  boolean isDir() {
    return false;
  }
}
