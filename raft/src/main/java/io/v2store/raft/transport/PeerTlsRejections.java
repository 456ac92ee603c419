package io.v2store.raft.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.lang.System.Logger.Level;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Locale;
import javax.net.ssl.SSLException;

/**
 * After the SslHandler of an accepted peer connection: a caller whose certificate is missing or
 * not signed by the peer CA is refused with one log line saying who and why; the handshake error
 * goes no further.
 */
final class PeerTlsRejections extends ChannelInboundHandlerAdapter {
  private static final System.Logger LOG = System.getLogger(PeerTransport.class.getName());

  private final long selfId;
  private boolean logged;

  PeerTlsRejections(long selfId) {
    this.selfId = selfId;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof SslHandshakeCompletionEvent done && !done.isSuccess()) {
      reject(ctx, done.cause());
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
    if (sslCause(cause) == null) {
      super.exceptionCaught(ctx, cause);
      return;
    }
    reject(ctx, cause);
  }

  private void reject(ChannelHandlerContext ctx, Throwable cause) {
    if (!logged) {
      logged = true;
      LOG.log(Level.WARNING, "member {0}: rejected peer connection from {1}: {2}",
          Ids.hex(selfId), ctx.channel().remoteAddress(), describe(cause));
    }
    ctx.close();
  }

  static boolean isTls(Throwable t) {
    return sslCause(t) != null;
  }

  private static Throwable sslCause(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof SSLException) {
        return c;
      }
    }
    return null;
  }

  /** The JDK's verdict on a certificate's dates ("NotAfter: ...") in the causes, or null. */
  private static String outOfDates(Throwable cause) {
    for (Throwable c = cause; c != null; c = c.getCause()) {
      if (c instanceof CertificateExpiredException || c instanceof CertificateNotYetValidException) {
        return c.getMessage();
      }
    }
    return null;
  }

  /** A short reason an operator can act on, from the JDK's handshake error. */
  static String describe(Throwable cause) {
    Throwable ssl = sslCause(cause);
    String message = String.valueOf((ssl != null ? ssl : cause).getMessage());
    String lower = message.toLowerCase(Locale.ROOT);
    if (lower.contains("empty client certificate chain")) {
      // the JDK dialer presents nothing when its certificate is not from a CA we named
      return "the peer presented no certificate signed by --peer-trusted-ca-file "
          + "(--peer-client-cert-auth is on)";
    }
    // before the CA: the JDK says "PKIX path validation failed" for a certificate out of its dates
    String dates = outOfDates(cause);
    if (dates != null || lower.contains("validity check failed")) {
      return "the peer's certificate has expired or is not yet valid"
          + (dates != null ? " (" + dates + ")" : "");
    }
    if (lower.contains("pkix path") || lower.contains("certification path")) {
      return "the peer's certificate is not signed by --peer-trusted-ca-file";
    }
    if (lower.contains("no subject alternative") || lower.contains("no name matching")) {
      return "the peer's certificate does not name the host of its peer URL: " + message;
    }
    if (lower.startsWith("received fatal alert: ")) {
      return "the peer refused our certificate (" + message + ")";
    }
    if (lower.contains("unsupported or unrecognized ssl message")
        || lower.contains("not an ssl/tls record")) {
      return "the peer does not speak TLS (is its peer URL http://?)";
    }
    return message;
  }
}
