package io.v2store.http;

/** A members-API refusal: answered as {"message": ...} with this HTTP status (spec 10.1). */
public final class MembershipException extends RuntimeException {
  private final int httpStatus;

  public MembershipException(int httpStatus, String message) {
    super(message, null, false, false);
    this.httpStatus = httpStatus;
  }

  public int httpStatus() {
    return httpStatus;
  }
}
