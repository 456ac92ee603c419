package io.v2store.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** The reasons a refused client's log line gives, from the JDK's handshake errors. */
class TlsRejectionLoggerTest {

  /** As the JDK throws them: the handshake's error, the PKIX verdict, and its cause. */
  private static SSLHandshakeException handshake(String pkix, Throwable root) {
    CertificateException verdict = new CertificateException(pkix,
        new CertPathValidatorException(root.getMessage(), root));
    SSLHandshakeException e = new SSLHandshakeException(pkix);
    e.initCause(verdict);
    return e;
  }

  @Test
  void anExpiredCertificateIsSaidToBeExpiredNotFromAnUnknownAuthority() {
    SSLHandshakeException expired = handshake("PKIX path validation failed: "
        + "java.security.cert.CertPathValidatorException: validity check failed",
        new CertificateExpiredException("NotAfter: Sat Feb 01 00:00:00 UTC 2020"));
    assertEquals("tls: failed to verify client certificate: x509: certificate has expired or is "
        + "not yet valid", TlsRejectionLogger.describe(expired));
  }

  @Test
  void aCertificateFromAnotherCaIsFromAnUnknownAuthority() {
    SSLHandshakeException stranger = new SSLHandshakeException("PKIX path building failed: "
        + "sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid "
        + "certification path to requested target");
    assertEquals("tls: failed to verify client certificate: x509: certificate signed by unknown "
        + "authority", TlsRejectionLogger.describe(stranger));
  }
}
