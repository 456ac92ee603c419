package io.v2store.etcdctl.client;

import java.util.Locale;
import javax.net.ssl.SSLException;

/** The JDK's TLS failures in the words Go etcdctl prints for the same failure. */
final class TlsErrors {
  /** What Go prints when the server's alert refusing our certificate reaches it. */
  static final String REFUSED_CERTIFICATE = "remote error: tls: bad certificate";

  private TlsErrors() {}

  /**
   * A server that refuses our certificate sends an alert and closes; when our next handshake
   * write meets that close first, the JDK reports a reset or broken pipe and the alert is lost.
   * Go's client reads the alert; a reset inside the handshake is that same refusal.
   */
  static boolean refusedMidHandshake(java.io.IOException e) {
    if (!(e instanceof java.net.SocketException)) {
      return false;
    }
    String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    if (!message.contains("broken pipe") && !message.contains("connection reset")) {
      return false;
    }
    for (StackTraceElement frame : e.getStackTrace()) {
      if (frame.getMethodName().equals("startHandshake")) {
        return true;
      }
    }
    return false;
  }

  static String goMessage(SSLException e) {
    String message = String.valueOf(e.getMessage());
    String lower = message.toLowerCase(Locale.ROOT);
    int ours = message.indexOf("x509: ");
    if (ours >= 0) { // a refusal worded as Go's already (GoHostnames)
      return message.substring(ours);
    }
    if (lower.contains("pkix path") || lower.contains("unable to find valid certification path")) {
      return "x509: certificate signed by unknown authority";
    }
    if (lower.contains("no subject alternative") || lower.contains("no name matching")) {
      return "x509: certificate is not valid for the endpoint's host (" + message + ")";
    }
    if (lower.contains("certificate expired") || lower.contains("notafter")) {
      return "x509: certificate has expired or is not yet valid";
    }
    if (lower.startsWith("received fatal alert: ")) {
      String alert = message.substring("received fatal alert: ".length());
      return "remote error: tls: " + switch (alert) {
        case "certificate_unknown" -> "unknown certificate";
        case "unknown_ca" -> "unknown certificate authority";
        default -> alert.replace('_', ' ');
      };
    }
    if (lower.contains("unsupported or unrecognized ssl message")) {
      return "http: server gave HTTP response to HTTPS client";
    }
    return message;
  }
}
