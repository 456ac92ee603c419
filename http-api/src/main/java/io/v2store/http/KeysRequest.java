package io.v2store.http;

import io.v2store.storage.pb.V2Request;
import io.v2store.storage.store.NodeView;

/**
 * A validated keys-API request (spec 1.3, 5.4).
 *
 * @param method GET, HEAD, PUT, POST or DELETE
 * @param path cleaned key path, "/" for the root
 * @param prevValue null when not given (an empty one is refused by validation)
 * @param prevIndex 0 = not given; an unsigned 64-bit value
 * @param prevExist null when not given
 * @param waitIndex 0 = not given; an unsigned 64-bit value
 * @param expirationNanos now + ttl, or {@link NodeView#NEVER} when no ttl was given
 */
record KeysRequest(
    String method,
    String path,
    String value,
    boolean dir,
    String prevValue,
    long prevIndex,
    Boolean prevExist,
    boolean waitForChange,
    long waitIndex,
    boolean recursive,
    boolean sorted,
    boolean quorum,
    boolean stream,
    boolean refresh,
    boolean noValueOnSuccess,
    long expirationNanos) {

  boolean hasTtl() {
    return expirationNanos != NodeView.NEVER;
  }

  /** The write as it travels through the log; the backend assigns the id. */
  V2Request toV2Request() {
    V2Request.Builder b = V2Request.newBuilder()
        .setMethod(switch (method) {
          case "PUT" -> V2Request.Method.PUT;
          case "POST" -> V2Request.Method.POST;
          case "DELETE" -> V2Request.Method.DELETE;
          default -> throw new IllegalStateException("not a write: " + method);
        })
        .setPath(path)
        .setValue(value)
        .setDir(dir)
        .setPrevIndex(prevIndex)
        .setRecursive(recursive)
        .setRefresh(refresh);
    if (prevValue != null) {
      b.setPrevValue(prevValue);
    }
    if (prevExist != null) {
      b.setPrevExist(prevExist);
    }
    if (hasTtl()) {
      b.setExpiration(expirationNanos);
    }
    return b.build();
  }
}
