package io.v2store.server;

import io.v2store.server.config.ConfigLoader;
import io.v2store.server.config.LoadResult;
import io.v2store.server.config.ServerConfig;
import io.v2store.storage.log.LogCorruptedException;
import io.v2store.storage.log.WalPlacementException;
import java.nio.file.Files;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The {@code etcd} binary: etcd's flags and ETCD_* variables in, one running member out. */
public final class EtcdMain {
  static {
    // Before the first Logger exists; see ServerLogManager for why.
    System.setProperty("java.util.logging.manager", ServerLogManager.class.getName());
    // Netty's buffer allocator reports chunk events to Java Flight Recorder where JFR exists,
    // and the first allocation then loads and initialises JFR's machinery: ~100 ms of the first
    // request after every restart, on the path to serving (100,000-key restart to its first
    // read, alternated: 706-870 ms without, 805-910 ms with). -Dio.netty.jfr.enabled=true
    // brings the events back for whoever profiles with them.
    if (System.getProperty("io.netty.jfr.enabled") == null) {
      System.setProperty("io.netty.jfr.enabled", "false");
    }
  }

  private static final Logger LOG = Logger.getLogger("etcd");
  /** Said once: every peer that refuses a removed member reports it. */
  private static final AtomicBoolean REMOVED = new AtomicBoolean();
  private static final AtomicReference<String> DATA_DIR = new AtomicReference<>("");

  private EtcdMain() {}

  public static void main(String[] args) {
    LoadResult loaded = ConfigLoader.load(args, System.getenv());
    if (loaded instanceof LoadResult.Exit exit) {
      System.out.print(exit.stdout());
      System.err.print(exit.stderr());
      System.out.flush();
      System.exit(exit.code());
      return;
    }
    LoadResult.Run run = (LoadResult.Run) loaded;
    configureLogging(run.config().logLevel());
    run.infos().forEach(LOG::info);
    run.warnings().forEach(LOG::warning);

    DATA_DIR.set(run.config().dataDir().toString());
    // As etcd: what the data dir holds decides first; a member's data is never served as a proxy.
    // etcd's own member data included: etcd would start that member, a proxy would serve none of
    // its keys (and the proxy/cluster it wrote would make etcd refuse the data dir afterwards).
    try {
      EtcdDataDirException.refuseEtcds(run.config().dataDir(), run.config().walDir());
    } catch (EtcdDataDirException | java.io.IOException e) {
      LOG.severe(run.config().name() + ": cannot start: " + e.getMessage());
      System.exit(1);
      return;
    }
    boolean memberData = Files.exists(
        run.config().dataDir().resolve("member").resolve(MemberIdentity.FILE));
    if (memberData && run.config().proxy().on()) {
      LOG.warning(run.config().name() + ": --proxy ignored: the data dir "
          + run.config().dataDir() + " holds a member");
    } else if (run.config().proxy().on() || ProxyClusterFile.isProxyDataDir(run.config().dataDir())) {
      if (!run.config().proxy().on()) {
        LOG.info(run.config().name() + ": the data dir " + run.config().dataDir() + " is a proxy's;"
            + " starting as a proxy (a member needs a data dir of its own)");
      }
      proxy(run.config());
      return;
    }
    EtcdMember member;
    try {
      member = EtcdMember.start(run.config(), EtcdMain::die);
    } catch (MemberRemovedException e) {
      removed(e, run.config().dataDir().toString());
      return;
    } catch (Discovery.DiscoveryException e) {
      discoveryFailed(e, run.config());
      return;
    } catch (LogCorruptedException | WalPlacementException | EtcdDataDirException
        | MemberBootstrappedException | JoinException
        | io.v2store.server.tls.TlsFilesMissingException
        | ListenersFirst.ListenException | KeysImport.ImportException e) {
      // The data dir is not what this start can serve, a port is taken, or the keys to import
      // cannot be had: the operator needs the line saying what and what to do, not a stack trace.
      LOG.severe(run.config().name() + ": cannot start: " + e.getMessage());
      System.exit(1);
      return;
    } catch (java.nio.file.FileSystemException e) {
      // A data dir that is a file, a parent that cannot be made, a certificate file missing:
      // one line naming the file, as etcd's, not a stack trace.
      LOG.severe(run.config().name() + ": cannot start: " + FileErrors.describe(e));
      System.exit(1);
      return;
    } catch (Exception | Error e) {
      // Errors too (a native library that will not load, a jar of another build): the raft and
      // transport threads already started would otherwise keep a member that never serves alive.
      LOG.log(Level.SEVERE, run.config().name() + ": cannot start: " + e, e);
      System.exit(1);
      return;
    }
    // Joined and serving: what a Type=notify unit waits for (etcd's moment too).
    SystemdReadiness.notifyReady(run.config().name());
    runUntilShutdown(() -> {
      LOG.info(run.config().name() + ": stopping");
      member.close();
    });
  }

  /**
   * Keeps the process up until a shutdown (SIGTERM, SIGINT, System.exit), which runs close
   * first; SIGTERM then ends the process by the signal, as etcd's does (see TermSignal).
   */
  private static void runUntilShutdown(Runnable close) {
    CountDownLatch stopped = new CountDownLatch(1);
    Runnable once = TermSignal.install(close);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      once.run();
      stopped.countDown();
    }, "shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** --proxy on: no member, a relay to the members (ClientProxy) until SIGTERM. */
  private static void proxy(ServerConfig config) {
    ClientProxy proxy;
    try {
      proxy = ClientProxy.start(config);
    } catch (Exception e) {
      LOG.severe("proxy: cannot start: " + e.getMessage());
      System.exit(1);
      return;
    } catch (Error e) {
      // As a member's start: a listener's thread already made (Netty's are not daemons) would
      // otherwise keep a proxy that serves nothing alive (a thread the next bind could not make).
      LOG.log(Level.SEVERE, "proxy: cannot start: " + e, e);
      System.exit(1);
      return;
    }
    SystemdReadiness.notifyReady("proxy");
    runUntilShutdown(proxy::close);
  }

  /** A member that can no longer guarantee what it acknowledges must stop at once. */
  private static void die(Throwable cause) {
    if (cause instanceof MemberRemovedException removed) {
      removed(removed, DATA_DIR.get());
      return;
    }
    LOG.log(Level.SEVERE, "fatal: " + cause.getMessage(), cause);
    Runtime.getRuntime().halt(1);
  }

  /** As etcd: what went wrong, and for a registration that exists already, what to do. */
  private static void discoveryFailed(Discovery.DiscoveryException e,
      ServerConfig config) {
    boolean fallback = Discovery.FULL_CLUSTER.equals(e.getMessage()) && config.proxy().discoveryFallback();
    LOG.log(fallback ? Level.INFO : Level.SEVERE, config.name() + ": " + e.getMessage());
    if (Discovery.DUPLICATE_ID.equals(e.getMessage())) {
      LOG.severe("member \"" + config.name() + "\" has previously registered with discovery "
          + "service token (" + config.discovery().orElseThrow() + ").");
      LOG.severe("But etcd could not find valid cluster configuration in the given data dir ("
          + config.dataDir() + ").");
      LOG.severe("Please check the given data dir path if the previous bootstrap succeeded "
          + "or use a new discovery token if the previous bootstrap failed.");
    } else if (Discovery.FULL_CLUSTER.equals(e.getMessage()) && config.proxy().discoveryFallback()) {
      LOG.info(config.name() + ": discovery cluster full, falling back to proxy");
      proxy(config);
      return;
    }
    System.exit(1);
  }

  /**
   * As etcd: an error line and a hint, no stack trace, and a normal exit (status 0) through the
   * shutdown hook that closes the member. From a thread of its own, because the caller may be a
   * thread that closing the member waits for (the apply thread, a peer's event loop).
   */
  private static void removed(MemberRemovedException e, String dataDir) {
    if (!REMOVED.compareAndSet(false, true)) return;
    LOG.severe(e.getMessage());
    LOG.info("the data-dir used by this member must be removed: " + dataDir);
    exitOnItsOwnThread(new Thread(() -> System.exit(0), "removed-from-cluster"),
        status -> Runtime.getRuntime().halt(status));
  }

  /**
   * Starts exit; where no thread can be made (the process or user limit on threads), halts with
   * 0 at once instead: the Error went to the caller (a peer connection's handler), and a removed
   * member, said so only once, ran on for good, serving reads of a cluster it no longer follows.
   * What closing would have done matters no more: its data dir is to be removed.
   */
  static void exitOnItsOwnThread(Thread exit, java.util.function.IntConsumer halt) {
    try {
      exit.start();
    } catch (Throwable e) {
      LOG.severe("cannot make a thread to stop in (" + e.getMessage() + "); stopping at once");
      halt.accept(0);
    }
  }

  private static void configureLogging(String level) {
    Logger root = Logger.getLogger("");
    for (Handler h : root.getHandlers()) root.removeHandler(h);
    ConsoleHandler console = new ConsoleHandler();
    console.setFormatter(new LogFormat());
    Level jul = switch (level.toLowerCase(java.util.Locale.ROOT)) {
      case "debug" -> Level.FINE;
      case "warn" -> Level.WARNING;
      case "error", "panic", "fatal" -> Level.SEVERE;
      default -> Level.INFO;
    };
    console.setLevel(jul);
    root.setLevel(jul);
    root.addHandler(console);
  }
}
