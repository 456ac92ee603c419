package io.v2store.storage.store;

/** The action names of v2 events, as they appear in JSON. */
public enum Action {
  GET("get"),
  SET("set"),
  CREATE("create"),
  UPDATE("update"),
  COMPARE_AND_SWAP("compareAndSwap"),
  DELETE("delete"),
  COMPARE_AND_DELETE("compareAndDelete"),
  EXPIRE("expire");

  private final String json;

  Action(String json) {
    this.json = json;
  }

  public String json() {
    return json;
  }
}
