package io.v2store.storage.store;

import io.v2store.storage.pb.V2Request;
import java.util.List;

/**
 * Turns a committed {@link V2Request} into exactly one key-space operation, following the PUT
 * decision table of spec 5.1 and the DELETE rules of 5.3. Deterministic.
 */
public final class RequestApplier {
  private final KeySpace keySpace;

  public RequestApplier(KeySpace keySpace) {
    this.keySpace = keySpace;
  }

  /**
   * Applies one PUT/POST/DELETE request and returns its event.
   *
   * @throws EtcdException when the store refuses it
   */
  public Event apply(V2Request request) {
    String path = request.getPath();
    long expiration = request.hasExpiration() ? request.getExpiration() : NodeView.NEVER;
    // etcd treats an empty prevValue as absent (the HTTP layer already rejects it with 201).
    String prevValue = request.hasPrevValue() && !request.getPrevValue().isEmpty()
        ? request.getPrevValue() : null;
    // A uint64: one of 2^63 or more reads as a negative long, and is given all the same.
    long prevIndex = request.getPrevIndex();
    boolean compares = prevValue != null || prevIndex != 0;
    switch (request.getMethod()) {
      case PUT:
        if (request.hasPrevExist() && request.getPrevExist()) {
          return compares
              ? keySpace.compareAndSwap(path, prevValue, prevIndex, request.getValue(),
                  expiration, request.getRefresh())
              : keySpace.update(path, request.getValue(), expiration, request.getRefresh());
        }
        if (request.hasPrevExist()) {
          return keySpace.create(path, request.getDir(), request.getValue(), false, expiration);
        }
        if (compares) {
          return keySpace.compareAndSwap(path, prevValue, prevIndex, request.getValue(),
              expiration, request.getRefresh());
        }
        return keySpace.set(path, request.getDir(), request.getValue(), expiration,
            request.getRefresh());
      case POST:
        return keySpace.create(path, request.getDir(), request.getValue(), true, expiration);
      case DELETE:
        return compares
            ? keySpace.compareAndDelete(path, prevValue, prevIndex)
            : keySpace.delete(path, request.getDir(), request.getRecursive());
      default:
        throw new IllegalArgumentException("not a keys write: " + request.getMethod());
    }
  }

  /** Applies a SYNC request: the expire events it produced. */
  public List<Event> sync(V2Request request) {
    return keySpace.expire(request.getTime());
  }
}
