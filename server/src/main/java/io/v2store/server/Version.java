package io.v2store.server;

/** The versions we report: a 3.4 server speaking the 3.4 cluster protocol, as clients expect. */
final class Version {
  static final String SERVER = "3.4.23";
  static final String CLUSTER = "3.4.0";

  private Version() {}
}
