package io.v2store.storage.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Room made in advance for a directory's children. A snapshot lists them in hash order, and put
 * one by one into a table that grows as it fills that order is linear probing's worst case
 * (SnapshotRestoreBenchmark: 5.4 s for a directory of 670,000 keys, 0.67 s sized up front).
 */
class ChildTableExpectTest {

  @Test
  void aTableSizedForNNodesTakesThemWithoutGrowing() {
    for (int n : new int[] {1, 3, 4, 100, 12_289, 100_000}) {
      ChildTable table = new ChildTable();
      table.expect(n);
      Node[] slots = table.slots();
      for (int i = 0; i < n; i++) {
        table.put(new KeyNode("k" + i, i + 1, "v"));
      }
      assertSame(slots, table.slots(), "the table grew while taking the " + n + " nodes it expected");
      assertEquals(n, table.size());
      // and no larger than growing one node at a time would have made it
      ChildTable grown = new ChildTable();
      for (int i = 0; i < n; i++) {
        grown.put(new KeyNode("k" + i, i + 1, "v"));
      }
      assertEquals(grown.slots().length, table.slots().length, "capacity for " + n);
    }
  }

  @Test
  void anAbsurdCountMakesNoAbsurdTable() {
    ChildTable table = new ChildTable();
    table.expect(Integer.MAX_VALUE);
    assertEquals(ChildTable.MAX_EXPECTED * 2, table.slots().length);
    table.expect(0);
    assertEquals(ChildTable.MAX_EXPECTED * 2, table.slots().length, "expect never shrinks");
  }

  @Test
  void aRestoredDirectoryHasEveryChild() throws IOException {
    int keys = 50_000;
    Tree tree = new Tree();
    DirNode dir = new DirNode("mem", 1);
    tree.root.add(dir);
    for (int i = 0; i < keys; i++) {
      dir.add(new KeyNode(String.format("%08d", i), i + 2, "v" + i));
    }
    tree.index = keys + 1;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      SnapshotCodec.write(tree, List.of(), 0, out);
    }
    Tree restored = SnapshotCodec.read(
        new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), new EventHistory(10));
    DirNode back = (DirNode) restored.root.child("mem");
    assertEquals(keys, back.children.size());
    for (int i = 0; i < keys; i++) {
      assertEquals("v" + i, ((KeyNode) back.child(String.format("%08d", i))).value);
    }
  }
}
