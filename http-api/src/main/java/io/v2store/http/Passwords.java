package io.v2store.http;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * bcrypt, as etcd stores v2 passwords ("$2a$", cost 10, longer than 72 bytes truncated as Go's
 * bcrypt of etcd 3.4 did). etcd compares every request's password with bcrypt, ~50-100 ms of CPU
 * each; here a password that matched once is remembered (as an HMAC under a key that lives only
 * in this process) until the user's stored hash changes, so only the first request of a user and
 * wrong passwords pay for bcrypt. That work runs on threads of its own, never on an event loop,
 * and a full queue refuses rather than piling up (a flood of wrong passwords then costs the
 * attacker, not the other clients).
 */
final class Passwords {
  static final int COST = 10;
  private static final BCrypt.Version VERSION = BCrypt.Version.VERSION_2A;

  private final SecureRandom random = new SecureRandom();
  private final byte[] macKey = new byte[32];
  private final Map<String, Remembered> matched = new ConcurrentHashMap<>();
  private final ThreadPoolExecutor worker;

  private record Remembered(String hash, byte[] mac) {}

  /** One bcrypt run per distinct (user, hash, password) at a time; ByteBuffer compares bytes. */
  private record Attempt(String user, String hash, java.nio.ByteBuffer mac) {}

  private final Map<Attempt, CompletableFuture<Boolean>> running = new ConcurrentHashMap<>();

  Passwords() {
    this(r -> {
      Thread t = new Thread(r, "auth-bcrypt");
      t.setDaemon(true);
      return t;
    });
  }

  /** threads: makes the worker's threads (tests: one that cannot be started). */
  Passwords(ThreadFactory threads) {
    random.nextBytes(macKey);
    worker = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(256),
        threads);
    worker.allowCoreThreadTimeOut(true); // none while nobody uses auth
  }

  /** Where bcrypt and the auth changes that need it run. */
  Executor worker() {
    return worker;
  }

  /** A new hash: slow, call it on {@link #worker()}. */
  String hash(String password) {
    byte[] hash = BCrypt.with(VERSION, random, LongPasswordStrategies.truncate(VERSION))
        .hash(COST, password.getBytes(StandardCharsets.UTF_8)); // Go hashes the UTF-8 bytes
    return new String(hash, StandardCharsets.US_ASCII);
  }

  /** Completes with whether password matches user's stored hash; at once when remembered. */
  CompletableFuture<Boolean> matches(String user, String hash, String password) {
    byte[] mac = mac(user, password);
    Remembered known = matched.get(user);
    if (known != null && known.hash().equals(hash) && MessageDigest.isEqual(known.mac(), mac)) {
      return CompletableFuture.completedFuture(true);
    }
    // A client that opens many connections at once (confd, a service's pool) sends the same
    // credentials on all of them before the first check ends: they share that one check rather
    // than fill the queue with copies of it.
    Attempt attempt = new Attempt(user, hash, java.nio.ByteBuffer.wrap(mac));
    CompletableFuture<Boolean> result = new CompletableFuture<>();
    CompletableFuture<Boolean> already = running.putIfAbsent(attempt, result);
    if (already != null) return already;
    // A check that cannot run, or ends by throwing, must not stay registered: every later
    // request with these credentials would wait on it for good.
    try {
      worker.execute(() -> {
        try {
          boolean ok = check(hash, password);
          if (ok) matched.put(user, new Remembered(hash, mac));
          running.remove(attempt, result);
          result.complete(ok);
        } catch (RuntimeException | Error e) {
          running.remove(attempt, result);
          result.completeExceptionally(e);
          throw e;
        }
      });
    } catch (RejectedExecutionException busy) {
      running.remove(attempt, result);
      result.complete(false); // 256 checks queued: refused, not queued without bound
    } catch (RuntimeException | Error e) { // a thread that could not be started
      running.remove(attempt, result);
      result.completeExceptionally(e);
      throw e;
    }
    return result;
  }

  private static boolean check(String hash, String password) {
    if (password.isEmpty()) return false; // the library refuses it; etcd never stores one
    try {
      return BCrypt.verifyer(VERSION, LongPasswordStrategies.truncate(VERSION))
          .verify(password.getBytes(StandardCharsets.UTF_8),
              hash.getBytes(StandardCharsets.UTF_8)).verified;
    } catch (RuntimeException notAHash) {
      return false;
    }
  }

  private byte[] mac(String user, String password) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(macKey, "HmacSHA256"));
      mac.update(user.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 0);
      return mac.doFinal(password.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  void close() {
    worker.shutdownNow();
  }
}
