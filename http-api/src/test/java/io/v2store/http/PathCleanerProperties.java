package io.v2store.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * PathCleaner.clean returns a path unchanged when it judges it clean already: that judgement
 * against the full component-by-component algorithm, on paths made of the characters that
 * matter to it.
 */
class PathCleanerProperties {

  @Property(tries = 2_000)
  void theShortCutAgreesWithTheFullAlgorithm(@ForAll("paths") String p) {
    String full = PathCleaner.cleanComponents(p);
    assertEquals(full, PathCleaner.clean(p));
    // Rooted paths are judged exactly; relative ones always take the full algorithm.
    boolean rooted = p.startsWith("/");
    assertEquals(rooted && full.equals(p), PathCleaner.isClean(p), p);
  }

  @Example
  void edgeCases() {
    for (String p : List.of("", "/", ".", "..", "a", "/a", "a/", "//", "/.", "/..", "./a", "a/.",
        "a/..", "/a/b", "/a//b", "/.a", "/..a", "/a./b", "/a/..b", "...", "/...")) {
      assertEquals(PathCleaner.cleanComponents(p), PathCleaner.clean(p), p);
    }
    assertEquals("/a/b", PathCleaner.clean("/a/b"));
    assertEquals("/a", PathCleaner.clean("/a/b/.."));
  }

  @Provide
  Arbitrary<String> paths() {
    return Arbitraries.strings().withChars('/', '.', 'a', 'b').ofMaxLength(12);
  }
}
