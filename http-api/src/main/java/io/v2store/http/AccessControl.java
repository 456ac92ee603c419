package io.v2store.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.ssl.SslHandler;
import io.v2store.http.AuthModel.Role;
import io.v2store.http.AuthModel.User;
import io.v2store.storage.auth.AuthRecords;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Who is asking, and may they: etcd's v2 auth checks. With auth off (the usual case) every
 * check is one volatile read. With it on, a request is made by a user (HTTP basic auth, or a
 * verified client certificate's common name when there is no Authorization header) or, with
 * neither, by a guest; a wrong password, an unknown user or a malformed header is refused
 * outright rather than treated as a guest.
 */
final class AccessControl {
  private final MemberBackend backend;
  private final Passwords passwords;
  private volatile AuthView view;

  AccessControl(MemberBackend backend, Passwords passwords) {
    this.backend = backend;
    this.passwords = passwords;
  }

  /** Who made a request: a user, the guest, or nobody we accept. */
  record Caller(User user, boolean guest) {
    static final Caller GUEST = new Caller(null, true);
    static final Caller REFUSED = new Caller(null, false);
  }

  /** The records as this member has them now, parsed once per version. */
  AuthView view() {
    AuthRecords.State records = backend.authRecords().state();
    AuthView v = view;
    if (v == null || v.records != records) {
      v = new AuthView(records);
      view = v;
    }
    return v;
  }

  boolean enabled() {
    return backend.authRecords().state().enabled();
  }

  /** etcd's hasRootAccess: any request while auth is off, else a user with the role root. */
  CompletableFuture<Boolean> rootAccess(ChannelHandlerContext ctx, FullHttpRequest http) {
    if (!enabled()) return CompletableFuture.completedFuture(true);
    return caller(ctx, http, false).thenApply(c -> c.user() != null
        && c.user().roles() != null && c.user().roles().contains(AuthView.ROOT));
  }

  /** etcd's hasWriteRootAccess: reads for anyone, changes as for {@link #rootAccess}. */
  CompletableFuture<Boolean> writeRootAccess(ChannelHandlerContext ctx, FullHttpRequest http) {
    String m = http.method().name();
    if (m.equals("GET") || m.equals("HEAD")) return CompletableFuture.completedFuture(true);
    return rootAccess(ctx, http);
  }

  /** etcd's hasKeyPrefixAccess; key is the request path after /v2/keys, as etcd takes it. */
  CompletableFuture<Boolean> keyAccess(ChannelHandlerContext ctx, FullHttpRequest http,
      String key, boolean recursive) {
    if (!enabled()) return CompletableFuture.completedFuture(true);
    String m = http.method().name();
    boolean write = !m.equals("GET") && !m.equals("HEAD");
    return caller(ctx, http, true).thenApply(c -> {
      AuthView v = view();
      if (c.guest()) {
        // The guest's access is checked key by key even for a recursive request, as etcd does.
        Role guest = v.role(AuthView.GUEST);
        return guest != null && AuthView.hasKeyAccess(guest, key, write, false);
      }
      if (c.user() == null || c.user().roles() == null) return false;
      return c.user().roles().stream().map(v::role).filter(r -> r != null)
          .anyMatch(r -> AuthView.hasKeyAccess(r, key, write, recursive));
    });
  }

  private CompletableFuture<Caller> caller(ChannelHandlerContext ctx, FullHttpRequest http,
      boolean guestAllowed) {
    AuthView v = view();
    String header = http.headers().get(HttpHeaderNames.AUTHORIZATION);
    if (header == null || header.isEmpty()) {
      String commonName = certificateCommonName(ctx);
      User byCertificate = commonName == null ? null : v.user(commonName);
      if (byCertificate != null) return CompletableFuture.completedFuture(new Caller(byCertificate, false));
      return CompletableFuture.completedFuture(guestAllowed ? Caller.GUEST : Caller.REFUSED);
    }
    String[] basic = basicAuth(header);
    if (basic == null) return CompletableFuture.completedFuture(Caller.REFUSED);
    User user = v.user(basic[0]);
    if (user == null) return CompletableFuture.completedFuture(Caller.REFUSED);
    return passwords.matches(user.user(), user.password(), basic[1])
        .thenApply(ok -> ok ? new Caller(user, false) : Caller.REFUSED);
  }

  /** Go's Request.BasicAuth: "Basic " in any case, standard base64, user:password. */
  static String[] basicAuth(String header) {
    if (header.length() < 6 || !header.regionMatches(true, 0, "Basic ", 0, 6)) return null;
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(header.substring(6));
    } catch (IllegalArgumentException e) {
      return null;
    }
    String pair = new String(decoded, StandardCharsets.UTF_8);
    int colon = pair.indexOf(':');
    if (colon < 0) return null;
    return new String[] {pair.substring(0, colon), pair.substring(colon + 1)};
  }

  /** The common name of the client's verified certificate, null without one. */
  private static String certificateCommonName(ChannelHandlerContext ctx) {
    SslHandler tls = ctx.pipeline().get(SslHandler.class);
    if (tls == null) return null;
    try {
      Certificate[] chain = tls.engine().getSession().getPeerCertificates();
      if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) return null;
      for (Rdn rdn : new LdapName(leaf.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) return String.valueOf(rdn.getValue());
      }
      return null;
    } catch (SSLPeerUnverifiedException | InvalidNameException none) {
      return null;
    }
  }

  /** Runs then once allowed is known: now if it is, else on the connection's event loop. */
  static void whenKnown(ChannelHandlerContext ctx, FullHttpRequest http,
      CompletableFuture<Boolean> allowed, Consumer<Boolean> then) {
    if (allowed.isDone()) {
      then.accept(allowed.join());
      return;
    }
    http.retain(); // the router releases it when the handler returns
    allowed.whenComplete((ok, error) -> ctx.executor().execute(() -> {
      try {
        then.accept(error == null && ok);
      } catch (RuntimeException bug) {
        // as the router does for a handler it runs itself: no stack trace, no silent hang
        Responses.send(ctx, http.method().name().equals("HEAD"), Responses.goError(
            io.netty.handler.codec.http.HttpResponseStatus.INTERNAL_SERVER_ERROR,
            "Internal Server Error"));
      } finally {
        http.release();
      }
    }));
  }
}
