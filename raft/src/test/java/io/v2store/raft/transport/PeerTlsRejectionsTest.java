package io.v2store.raft.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** The reasons a refused peer's log line gives, from the JDK's handshake errors. */
class PeerTlsRejectionsTest {

  @Test
  void anExpiredPeerCertificateIsSaidToBeExpiredNotFromAnotherCa() {
    String pkix = "PKIX path validation failed: java.security.cert.CertPathValidatorException: "
        + "validity check failed";
    CertificateExpiredException root =
        new CertificateExpiredException("NotAfter: Sat Feb 01 00:00:00 UTC 2020");
    SSLHandshakeException expired = new SSLHandshakeException(pkix);
    expired.initCause(new CertificateException(pkix,
        new CertPathValidatorException("validity check failed", root)));
    assertEquals("the peer's certificate has expired or is not yet valid (NotAfter: Sat Feb 01 "
        + "00:00:00 UTC 2020)", PeerTlsRejections.describe(expired));
  }

  @Test
  void aPeerCertificateFromAnotherCaIsSaidToBeSo() {
    SSLHandshakeException stranger = new SSLHandshakeException("PKIX path building failed: "
        + "sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid "
        + "certification path to requested target");
    assertEquals("the peer's certificate is not signed by --peer-trusted-ca-file",
        PeerTlsRejections.describe(stranger));
  }
}
