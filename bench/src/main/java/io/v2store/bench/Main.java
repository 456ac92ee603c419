package io.v2store.bench;

import java.io.PrintStream;

/** The {@code bench} command: see {@link BenchArgs#USAGE}. Exit 2 on a usage error, 1 on failure. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    BenchArgs.Command command;
    try {
      command = BenchArgs.parse(args);
    } catch (BenchArgs.UsageException e) {
      err.println("bench: " + e.getMessage());
      err.print(BenchArgs.USAGE);
      return 2;
    }
    Runner runner = new Runner(err);
    try {
      if (command instanceof BenchArgs.Single single) {
        RunResult r = runner.run(single.config());
        out.println(single.config().json() ? r.toJson() : r.toText());
      } else if (command instanceof BenchArgs.Compare compare) {
        Comparison c = Comparison.run(runner, compare);
        out.println(compare.a().json() ? c.toJson() : c.toText());
      }
      out.flush();
      return 0;
    } catch (Exception e) {
      err.println("bench: " + e);
      return 1;
    }
  }
}
