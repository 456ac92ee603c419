package io.v2store.storage.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.v2store.storage.pb.V2Request;
import io.v2store.storage.pb.V2Request.Method;
import org.junit.jupiter.api.Test;

/** The PUT decision table of spec 5.1 and the DELETE rule of 5.3. */
class RequestApplierTest {
  private final KeySpace ks = new KeySpace(100);
  private final RequestApplier applier = new RequestApplier(ks);

  private static V2Request.Builder put(String path, String value) {
    return V2Request.newBuilder().setMethod(Method.PUT).setPath(path).setValue(value);
  }

  private Event apply(V2Request.Builder b) {
    return applier.apply(b.build());
  }

  private EtcdError error(V2Request.Builder b) {
    return assertThrows(EtcdException.class, () -> apply(b)).error();
  }

  @Test
  void putDecisionTable() {
    assertEquals(Action.SET, apply(put("/k", "1")).action());
    assertEquals(Action.UPDATE, apply(put("/k", "2").setPrevExist(true)).action());
    assertEquals(Action.COMPARE_AND_SWAP,
        apply(put("/k", "3").setPrevExist(true).setPrevValue("2")).action());
    assertEquals(Action.COMPARE_AND_SWAP,
        apply(put("/k", "4").setPrevExist(true).setPrevIndex(3)).action());
    assertEquals(EtcdError.NODE_EXIST, error(put("/k", "5").setPrevExist(false).setPrevValue("4")));
    assertEquals(Action.CREATE, apply(put("/n", "1").setPrevExist(false).setPrevIndex(9)).action());
    assertEquals(Action.COMPARE_AND_SWAP, apply(put("/k", "6").setPrevIndex(4)).action());
    assertEquals(EtcdError.TEST_FAILED, error(put("/k", "7").setPrevValue("nope")));
    // An empty prevValue counts as absent, as in etcd.
    assertEquals(Action.SET, apply(put("/k", "8").setPrevValue("")).action());
  }

  @Test
  void ttlComesFromExpirationAndItsAbsenceMakesTheNodePermanent() {
    assertEquals(1000, apply(put("/k", "v").setExpiration(1000)).node().expirationNanos());
    assertFalse(apply(put("/k", "v").setPrevExist(true)).node().hasExpiration());
  }

  @Test
  void refreshKeepsTheValueAndDirCreatesDirectories() {
    apply(put("/k", "v"));
    Event e = apply(put("/k", "").setRefresh(true).setPrevExist(true).setExpiration(50));
    assertEquals("v", e.node().value());
    assertTrue(e.isRefresh());
    assertTrue(apply(put("/d", "").setDir(true)).node().dir());
  }

  @Test
  void postCreatesInOrderKeys() {
    Event e = apply(V2Request.newBuilder().setMethod(Method.POST).setPath("/q").setValue("j")
        .setPrevExist(true));
    assertEquals("/q/00000000000000000001", e.node().key());
    assertEquals(Action.CREATE, e.action());
  }

  @Test
  void deleteIsCompareAndDeleteWhenPrevValueOrPrevIndexIsGiven() {
    apply(put("/a", "1"));
    apply(put("/b", "1"));
    apply(put("/d/x", "1"));
    V2Request.Builder del = V2Request.newBuilder().setMethod(Method.DELETE);
    assertEquals(Action.COMPARE_AND_DELETE,
        apply(del.clone().setPath("/a").setPrevValue("1")).action());
    assertEquals(Action.COMPARE_AND_DELETE,
        apply(del.clone().setPath("/b").setPrevIndex(2)).action());
    assertEquals(EtcdError.NOT_FILE, error(del.clone().setPath("/d")));
    Event rec = apply(del.clone().setPath("/d").setRecursive(true));
    assertEquals(Action.DELETE, rec.action());
    assertTrue(rec.node().dir());
  }

  @Test
  void aPrevIndexOf2To63OrMoreStillCompares() {
    // prevIndex is a uint64 (as in etcd): 2^64-1 arrives as the long -1, 2^63 as Long.MIN_VALUE.
    apply(put("/k", "1"));
    EtcdException swap = assertThrows(EtcdException.class,
        () -> apply(put("/k", "2").setPrevIndex(-1)));
    assertEquals(EtcdError.TEST_FAILED, swap.error());
    assertEquals("[18446744073709551615 != 1]", swap.errorCause());
    assertEquals(EtcdError.TEST_FAILED,
        error(put("/k", "2").setPrevExist(true).setPrevIndex(Long.MIN_VALUE)));
    V2Request.Builder del = V2Request.newBuilder().setMethod(Method.DELETE).setPath("/k");
    EtcdException cad = assertThrows(EtcdException.class,
        () -> apply(del.clone().setPrevIndex(Long.MIN_VALUE).setPrevValue("zz")));
    assertEquals("[zz != 1] [9223372036854775808 != 1]", cad.errorCause());
    assertEquals(EtcdError.TEST_FAILED, error(del.clone().setPrevIndex(-1)));
    assertEquals(EtcdError.KEY_NOT_FOUND, error(put("/missing", "1").setPrevIndex(-1)));
    assertEquals("1", ks.get("/k", false, false).node().value());
    assertEquals(1, ks.index());
  }

  @Test
  void syncExpiresDueNodes() {
    apply(put("/k", "v").setExpiration(10));
    assertTrue(applier.sync(V2Request.newBuilder().setMethod(Method.SYNC).setTime(9).build())
        .isEmpty());
    assertEquals(Action.EXPIRE, applier.sync(
        V2Request.newBuilder().setMethod(Method.SYNC).setTime(10).build()).get(0).action());
    assertThrows(IllegalArgumentException.class,
        () -> applier.apply(V2Request.newBuilder().setMethod(Method.SYNC).build()));
  }
}
