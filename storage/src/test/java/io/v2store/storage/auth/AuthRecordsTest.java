package io.v2store.storage.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.v2store.storage.pb.V2Request;
import io.v2store.storage.store.EtcdError;
import io.v2store.storage.store.EtcdException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthRecordsTest {
  private static V2Request.Builder put(String path, String value) {
    return V2Request.newBuilder().setMethod(V2Request.Method.AUTH_PUT).setPath(path)
        .setValue(value);
  }

  private static V2Request delete(String path) {
    return V2Request.newBuilder().setMethod(V2Request.Method.AUTH_DELETE).setPath(path).build();
  }

  private static EtcdError refusal(AuthRecords r, V2Request request) {
    AuthRecords.State before = r.state();
    EtcdError error = assertThrows(EtcdException.class, () -> r.apply(request)).error();
    assertSame(before, r.state(), "a refused change changes nothing");
    return error;
  }

  @Test
  void changesAreCheckedAsEtcdsStoreChecksThem() {
    AuthRecords r = new AuthRecords();
    r.apply(put("/users/root", "{\"user\":\"root\"}").setPrevExist(false).build());
    assertEquals(EtcdError.NODE_EXIST,
        refusal(r, put("/users/root", "{}").setPrevExist(false).build()));
    assertEquals(EtcdError.KEY_NOT_FOUND,
        refusal(r, put("/roles/x", "{}").setPrevExist(true).build()));
    assertEquals(EtcdError.TEST_FAILED,
        refusal(r, put("/users/root", "{}").setPrevValue("{\"user\":\"other\"}").build()));
    assertEquals(EtcdError.KEY_NOT_FOUND, refusal(r, delete("/roles/x")));
    assertEquals(EtcdError.KEY_NOT_FOUND, refusal(r, put("/users/a/b", "{}").build()));
    assertEquals(EtcdError.KEY_NOT_FOUND, refusal(r, put("/elsewhere", "{}").build()));

    r.apply(put("/users/root", "{\"user\":\"root\",\"v\":2}")
        .setPrevValue("{\"user\":\"root\"}").build());
    r.apply(put("/roles/guest", "{\"role\":\"guest\"}").build());
    r.apply(put("/enabled", "true").setPrevValue("false").build());
    assertEquals(new AuthRecords.State(true, Map.of("root", "{\"user\":\"root\",\"v\":2}"),
        Map.of("guest", "{\"role\":\"guest\"}")), r.state());
    r.apply(delete("/roles/guest"));
    assertTrue(r.state().roles().isEmpty());
  }

  @Test
  void aSnapshotHoldsEveryRecord() throws Exception {
    AuthRecords r = new AuthRecords();
    r.apply(put("/users/root", "{\"user\":\"root\",\"password\":\"\u00e9\"}").build());
    r.apply(put("/roles/big", "x".repeat(100_000)).build()); // past writeUTF's 64 KiB
    r.apply(put("/enabled", "true").build());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    r.write(new DataOutputStream(bytes));
    AuthRecords restored = new AuthRecords();
    restored.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    assertEquals(r.state(), restored.state());
    restored.clear();
    assertEquals(new AuthRecords.State(false, Map.of(), Map.of()), restored.state());
  }
}
