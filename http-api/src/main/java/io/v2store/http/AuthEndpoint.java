package io.v2store.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.v2store.http.AuthChanges.Plan;
import io.v2store.http.AuthChanges.Refused;
import io.v2store.http.AuthModel.BadJson;
import io.v2store.http.AuthModel.Role;
import io.v2store.http.AuthModel.User;
import io.v2store.storage.pb.V2Request;
import io.v2store.storage.store.EtcdError;
import io.v2store.storage.store.EtcdException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * /v2/auth: etcd's v2 users, roles and the switch that turns checking on (its routes, methods,
 * bodies and errors). Reads answer from this member's records; a change is planned after a
 * linearizable read (etcd reads with quorum there too), on the bcrypt worker since it may hash a
 * password, and replicated through Raft like a key write.
 */
final class AuthEndpoint implements Endpoint {
  static final String PREFIX = "/v2/auth";
  private static final System.Logger LOG = System.getLogger("etcd");

  private final MemberBackend backend;
  private final AccessControl access;
  private final Passwords passwords;
  private final AuthChanges changes;
  private final long timeoutMillis;

  AuthEndpoint(MemberBackend backend, AccessControl access, Passwords passwords,
      long timeoutMillis) {
    this.timeoutMillis = timeoutMillis;
    this.backend = backend;
    this.access = access;
    this.passwords = passwords;
    this.changes = new AuthChanges(passwords);
  }

  @Override
  public void handle(ChannelHandlerContext ctx, RoutedRequest request) {
    String path = request.path();
    if (path.equals(PREFIX + "/enable")) {
      if (!allowed(ctx, request, "GET", "PUT", "DELETE")) return;
      AccessControl.whenKnown(ctx, request.http(), access.writeRootAccess(ctx, request.http()),
          ok -> { if (ok) enableDisable(ctx, request); else noAuth(ctx); });
      return;
    }
    // Go's path.Clean of the rest: the router leaves only a trailing slash to drop.
    String sub = path.substring(PREFIX.length());
    if (sub.endsWith("/")) sub = sub.substring(0, sub.length() - 1);
    String[] pieces = sub.split("/", -1); // "", "users"|"roles", name
    boolean users = pieces[1].equals("users");
    if (pieces.length == 2) {
      if (!allowed(ctx, request, "GET")) return;
      asRoot(ctx, request, () -> send(ctx, 200, users ? allUsers() : allRoles()));
    } else if (pieces.length == 3) {
      if (!allowed(ctx, request, "GET", "PUT", "DELETE")) return;
      String name = pieces[2];
      asRoot(ctx, request, () -> {
        if (users) {
          forUser(ctx, request, name);
        } else {
          forRole(ctx, request, name);
        }
      });
    } else {
      Responses.send(ctx, false, Responses.message(HttpResponseStatus.BAD_REQUEST,
          "Invalid path"));
    }
  }

  private void asRoot(ChannelHandlerContext ctx, RoutedRequest request, Runnable then) {
    AccessControl.whenKnown(ctx, request.http(), access.rootAccess(ctx, request.http()),
        ok -> { if (ok) then.run(); else noAuth(ctx); });
  }

  private void enableDisable(ChannelHandlerContext ctx, RoutedRequest request) {
    switch (request.method()) {
      case "GET" -> send(ctx, 200, "{\"enabled\":" + access.view().enabled() + "}\n");
      case "PUT" -> change(ctx, changes::enable);
      default -> change(ctx, changes::disable);
    }
  }

  private void forUser(ChannelHandlerContext ctx, RoutedRequest request, String name) {
    switch (request.method()) {
      case "GET" -> {
        AuthView v = access.view();
        User u = v.user(name);
        if (u == null) {
          refuse(ctx, new Refused(404, "auth: User " + name + " does not exist."));
          return;
        }
        List<Role> roles = new ArrayList<>();
        for (String roleName : u.roles() == null ? List.<String>of() : u.roles()) {
          Role r = v.role(roleName);
          if (r == null) {
            refuse(ctx, new Refused(404, "auth: Role " + roleName + " does not exist."));
            return;
          }
          roles.add(r);
        }
        StringBuilder b = new StringBuilder();
        AuthModel.userWithRoles(b, u.user(), roles);
        send(ctx, 200, b.append('\n').toString());
      }
      case "PUT" -> {
        User in;
        try {
          in = AuthModel.parseUser(body(request));
        } catch (BadJson e) {
          invalidJson(ctx);
          return;
        }
        if (!in.user().equals(name)) {
          refuse(ctx, new Refused(400, "User JSON name does not match the name in the URL"));
          return;
        }
        change(ctx, v -> changes.putUser(v, in));
      }
      default -> change(ctx, v -> changes.deleteUser(v, name));
    }
  }

  private void forRole(ChannelHandlerContext ctx, RoutedRequest request, String name) {
    switch (request.method()) {
      case "GET" -> {
        Role r = access.view().role(name);
        if (r == null) {
          refuse(ctx, new Refused(404, "auth: Role " + name + " does not exist."));
        } else {
          send(ctx, 200, AuthModel.roleJson(r) + "\n");
        }
      }
      case "PUT" -> {
        Role in;
        try {
          in = AuthModel.parseRole(body(request));
        } catch (BadJson e) {
          invalidJson(ctx);
          return;
        }
        if (!in.role().equals(name)) {
          refuse(ctx, new Refused(400, "Role JSON name does not match the name in the URL"));
          return;
        }
        change(ctx, v -> changes.putRole(v, in));
      }
      default -> change(ctx, v -> changes.deleteRole(v, name));
    }
  }

  /** etcd's baseUsers: each user with the roles that exist (a missing one is left out). */
  private String allUsers() {
    AuthView v = access.view();
    List<String> names = v.userNames();
    if (names.isEmpty()) return "{\"users\":null}\n";
    StringBuilder b = new StringBuilder("{\"users\":[");
    for (int i = 0; i < names.size(); i++) {
      if (i > 0) b.append(',');
      User u = v.user(names.get(i));
      List<Role> roles = new ArrayList<>();
      for (String roleName : u.roles() == null ? List.<String>of() : u.roles()) {
        Role r = v.role(roleName);
        if (r != null) roles.add(r);
      }
      AuthModel.userWithRoles(b, u.user(), roles);
    }
    return b.append("]}\n").toString();
  }

  private String allRoles() {
    AuthView v = access.view();
    StringBuilder b = new StringBuilder("{\"roles\":[");
    List<String> names = v.roleNames();
    for (int i = 0; i < names.size(); i++) {
      if (i > 0) b.append(',');
      AuthModel.role(b, v.role(names.get(i)));
    }
    return b.append("]}\n").toString();
  }

  /**
   * Plans a change on a linearizable view, writes it, and answers. A write refused because the
   * records moved under it (a racing change) is planned again on the newer view, whose answer
   * is then the right one (e.g. "already exists"), for as long as the request may take: each
   * round some racing change wins, so n changes to one record at once all get through in n
   * rounds (a fixed number of rounds answered the rest 500).
   */
  private void change(ChannelHandlerContext ctx, Function<AuthView, Plan> planner) {
    // bounded as a key write is: the linearizable read has no timer of its own
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    Deadlines.within(attempt(planner, deadline), ctx.executor(), timeoutMillis)
        .whenComplete((plan, error) -> ctx.executor().execute(() -> {
      if (error == null) {
        send(ctx, plan.status(), plan.body());
        return;
      }
      Throwable cause = error instanceof CompletionException ? error.getCause() : error;
      if (cause instanceof Refused refused) {
        refuse(ctx, refused);
      } else {
        // etcd answers anything else (a timeout, no leader) with a bare 500
        if (!(cause instanceof EtcdException) && !(cause instanceof TimeoutException)) {
          LOG.log(Level.WARNING, "auth change failed unexpectedly", cause); // a bug: say so
        }
        refuse(ctx, new Refused(500, "Internal Server Error"));
      }
    }));
  }

  private CompletableFuture<Plan> attempt(Function<AuthView, Plan> planner, long deadline) {
    return backend.linearizableRead()
        .thenApplyAsync(ignored -> planner.apply(access.view()), passwords.worker())
        .thenCompose(plan -> writeAll(plan.writes(), 0).thenApply(done -> plan))
        .exceptionallyCompose(error -> {
          Throwable cause = error instanceof CompletionException ? error.getCause() : error;
          if (cause instanceof EtcdException e && overtaken(e.error())
              && System.nanoTime() - deadline < 0) {
            return attempt(planner, deadline);
          }
          return CompletableFuture.failedFuture(cause);
        });
  }

  private static boolean overtaken(EtcdError error) {
    return error == EtcdError.TEST_FAILED || error == EtcdError.NODE_EXIST
        || error == EtcdError.KEY_NOT_FOUND;
  }

  private CompletableFuture<Void> writeAll(List<V2Request> writes, int from) {
    if (from == writes.size()) return CompletableFuture.completedFuture(null);
    return backend.propose(writes.get(from)).thenCompose(e -> writeAll(writes, from + 1));
  }

  private boolean allowed(ChannelHandlerContext ctx, RoutedRequest request, String... methods) {
    for (String m : methods) {
      if (m.equals(request.method())) return true;
    }
    Responses.send(ctx, false, Responses.methodNotAllowed(String.join(",", methods)));
    return false;
  }

  private static String body(RoutedRequest request) {
    return request.http().content().toString(StandardCharsets.UTF_8);
  }

  private void send(ChannelHandlerContext ctx, int status, String body) {
    FullHttpResponse response = body == null
        ? Responses.full(HttpResponseStatus.valueOf(status), Responses.JSON, Unpooled.EMPTY_BUFFER)
        : Responses.json(HttpResponseStatus.valueOf(status), body);
    response.headers().set(Responses.CLUSTER_ID, Responses.hex(backend.clusterId()));
    Responses.send(ctx, false, response);
  }

  private void refuse(ChannelHandlerContext ctx, Refused refused) {
    FullHttpResponse response = Responses.message(HttpResponseStatus.valueOf(refused.status),
        refused.getMessage());
    response.headers().set(Responses.CLUSTER_ID, Responses.hex(backend.clusterId()));
    Responses.send(ctx, false, response);
  }

  private void invalidJson(ChannelHandlerContext ctx) {
    refuse(ctx, new Refused(400, "Invalid JSON in request body."));
  }

  /** etcd's writeNoAuth: before any header of the handler's own, so without the cluster id. */
  static void noAuth(ChannelHandlerContext ctx) {
    Responses.send(ctx, false, Responses.message(HttpResponseStatus.UNAUTHORIZED,
        "Insufficient credentials"));
  }
}
