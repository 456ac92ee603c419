package io.v2store.storage.store;

/** Helpers on cleaned absolute paths ("/", "/a", "/a/b"). */
final class Paths {
  private Paths() {}

  static boolean isRoot(String path) {
    return path.equals("/");
  }

  /** The path of a child named name under parentPath. */
  static String child(String parentPath, String name) {
    return isRoot(parentPath) ? "/" + name : parentPath + "/" + name;
  }

  static String parent(String path) {
    int i = path.lastIndexOf('/');
    return i <= 0 ? "/" : path.substring(0, i);
  }

  static String name(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  static boolean isHiddenName(String name) {
    return name.startsWith("_");
  }

  /**
   * etcd's isHidden(watchPath, keyPath): whether keyPath, seen from a watcher on watchPath above
   * it, lies in or below a hidden component.
   */
  static boolean isHiddenBelow(String watchPath, String keyPath) {
    if (watchPath.length() > keyPath.length()) {
      return false;
    }
    String after = keyPath.substring(isRoot(watchPath) ? 0 : watchPath.length());
    return after.contains("/_");
  }

  /** Whether path lies strictly below dirPath. */
  static boolean isBelow(String path, String dirPath) {
    if (isRoot(dirPath)) {
      return !isRoot(path);
    }
    return path.length() > dirPath.length() + 1 && path.startsWith(dirPath)
        && path.charAt(dirPath.length()) == '/';
  }

  /**
   * Orders sibling names as etcd does (bytewise on UTF-8): comparing code points gives the
   * same order, whereas String.compareTo compares UTF-16 units and differs above U+D7FF.
   */
  static int compareNames(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Boolean.compare(i < a.length(), j < b.length());
  }
}
