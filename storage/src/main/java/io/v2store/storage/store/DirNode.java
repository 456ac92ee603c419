package io.v2store.storage.store;

/** A directory: its children in a compact table keyed by name. */
final class DirNode extends Node {
  final ChildTable children = new ChildTable();

  DirNode(String name, long createdIndex) {
    super(name, createdIndex);
  }

  @Override
  boolean isDir() {
    return true;
  }

  Node child(String childName) {
    return children.get(childName);
  }

  void add(Node child) {
    child.parent = this;
    children.put(child);
  }

  void removeChild(Node child) {
    children.remove(child.name);
    child.parent = null;
  }

  boolean hasVisibleChildren() {
    Node[] slots = children.slots();
    for (Node n : slots) {
      if (n != null && !n.isHidden()) {
        return true;
      }
    }
    return false;
  }
}
