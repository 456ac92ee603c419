package io.v2store.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SniCompletionEvent;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.lang.System.Logger.Level;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Locale;
import javax.net.ssl.SSLException;

/**
 * Sits right after the SslHandler of an https connection and writes the one line an operator
 * needs when a client is refused: who, and why, in etcd's words ({@code rejected connection from
 * "ip:port" (error "...", ServerName "...")}). The handshake error itself stops here.
 */
final class TlsRejectionLogger extends ChannelInboundHandlerAdapter {
  private static final System.Logger LOG = System.getLogger("etcd");

  private final String memberName;
  private String serverName = "";
  private boolean logged;

  TlsRejectionLogger(String memberName) {
    this.memberName = memberName;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof SniCompletionEvent sni && sni.hostname() != null) {
      serverName = sni.hostname();
    }
    if (evt instanceof SslHandshakeCompletionEvent done && !done.isSuccess()) {
      reject(ctx, done.cause());
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
    Throwable ssl = sslCause(cause);
    if (ssl == null) {
      super.exceptionCaught(ctx, cause);
      return;
    }
    reject(ctx, ssl);
  }

  private void reject(ChannelHandlerContext ctx, Throwable cause) {
    if (!logged) {
      logged = true;
      LOG.log(Level.WARNING, memberName + ": rejected connection from \""
          + remote(ctx) + "\" (error \"" + describe(cause) + "\", ServerName \"" + serverName
          + "\")");
    }
    ctx.close();
  }

  private static String remote(ChannelHandlerContext ctx) {
    String address = String.valueOf(ctx.channel().remoteAddress());
    return address.startsWith("/") ? address.substring(1) : address;
  }

  private static Throwable sslCause(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof SSLException) {
        return c;
      }
    }
    return null;
  }

  /** Whether the chain of causes holds the JDK's verdict on a certificate's dates. */
  static boolean outOfDates(Throwable cause) {
    for (Throwable c = cause; c != null; c = c.getCause()) {
      if (c instanceof CertificateExpiredException || c instanceof CertificateNotYetValidException) {
        return true;
      }
    }
    return false;
  }

  /** The JDK's reasons in the words Go's TLS stack (and so etcd's log) uses for them. */
  static String describe(Throwable cause) {
    Throwable ssl = sslCause(cause);
    String message = String.valueOf((ssl != null ? ssl : cause).getMessage());
    String lower = message.toLowerCase(Locale.ROOT);
    if (lower.contains("empty client certificate chain")
        || lower.contains("certificate_required")) {
      return "tls: client didn't provide a certificate";
    }
    // before the CA: the JDK says "PKIX path validation failed" for a certificate out of its dates
    if (lower.contains("certificate expired") || lower.contains("notafter")
        || lower.contains("validity check failed") || outOfDates(cause)) {
      return "tls: failed to verify client certificate: x509: certificate has expired or is "
          + "not yet valid";
    }
    if (lower.contains("pkix path") || lower.contains("unable to find valid certification path")) {
      return "tls: failed to verify client certificate: x509: certificate signed by unknown "
          + "authority";
    }
    if (lower.startsWith("received fatal alert: ")) {
      return "remote error: tls: " + message.substring("received fatal alert: ".length())
          .replace('_', ' ');
    }
    if (lower.contains("unsupported or unrecognized ssl message")
        || lower.contains("not an ssl/tls record")) {
      return "tls: first record does not look like a TLS handshake";
    }
    return message;
  }
}
