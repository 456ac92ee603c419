package io.v2store.etcdctl.client;

import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;

/**
 * How etcdctl secures an https connection (see {@link ClientTlsFiles}).
 *
 * @param sockets the certificate it presents and the CAs it trusts
 * @param otherName null: the server's certificate must name the URL's host, as the JDK checks;
 *     otherwise {@code sockets} checks it against another name during the handshake, and the
 *     URL's host is not checked
 */
public record ClientTls(SSLSocketFactory sockets, String otherName) {
  private static final HostnameVerifier CHECKED_IN_HANDSHAKE = (host, session) -> true;

  void apply(HttpsURLConnection https) {
    https.setSSLSocketFactory(sockets);
    if (otherName != null) {
      // With a verifier of its own, HttpsURLConnection asks it only when the URL's host does not
      // match; the handshake has already refused a certificate without the other name.
      https.setHostnameVerifier(CHECKED_IN_HANDSHAKE);
    }
  }
}
