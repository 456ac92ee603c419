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
    throw new UnsupportedOperationException("not yet implemented");
  }

  /** Applies a SYNC request: the expire events it produced. */
  public List<Event> sync(V2Request request) {
    return keySpace.expire(request.getTime());
  }
}
