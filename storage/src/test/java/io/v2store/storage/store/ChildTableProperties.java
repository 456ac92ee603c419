package io.v2store.storage.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The open-addressing child table against a HashMap, through growth, shrink, deletion and room
 * made in advance.
 */
class ChildTableProperties {

  @Provide
  Arbitrary<List<String>> operations() {
    // "+name" puts, "-name" removes; a small name space forces collisions and probe runs. Names
    // made of "Aa" and "BB" share one String.hashCode ("AaBB", "BBAa", ...), so nodes whose cached
    // hashes are equal must still be told apart by name.
    Arbitrary<String> small = Arbitraries.strings().withCharRange('a', 'h').ofMinLength(1)
        .ofMaxLength(2);
    Arbitrary<String> sameHash = Arbitraries.of("Aa", "BB").list().ofMinSize(2).ofMaxSize(3)
        .map(blocks -> String.join("", blocks));
    // "=N" makes room for N nodes in advance (as a snapshot's restore does), mid-way too.
    Arbitrary<String> expect = Arbitraries.integers().between(0, 200).map(n -> "=" + n);
    return Arbitraries.frequencyOf(
        Tuple.of(20, Arbitraries.oneOf(small, sameHash).flatMap(n -> Arbitraries.of("+" + n, "-" + n))),
        Tuple.of(1, expect)).list().ofMaxSize(400);
  }

  @Property(tries = 150)
  void behavesLikeAHashMap(@ForAll("operations") List<String> operations) {
    ChildTable table = new ChildTable();
    Map<String, Node> model = new HashMap<>();
    long index = 0;
    for (String op : operations) {
      String name = op.substring(1);
      if (op.charAt(0) == '=') {
        table.expect(Integer.parseInt(name));
      } else if (op.charAt(0) == '+') {
        Node n = new KeyNode(name, ++index, "");
        assertEquals(model.put(name, n), table.put(n));
      } else {
        assertEquals(model.remove(name), table.remove(name));
      }
      assertEquals(model.size(), table.size());
    }
    for (Map.Entry<String, Node> e : model.entrySet()) {
      assertEquals(e.getValue(), table.get(e.getKey()));
    }
    List<Node> listed = new ArrayList<>();
    for (Node n : table.slots()) {
      if (n != null) {
        listed.add(n);
      }
    }
    assertEquals(model.size(), listed.size());
    assertEquals(new java.util.HashSet<>(model.values()), new java.util.HashSet<>(listed));
  }
}
