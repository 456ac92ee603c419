package io.v2store.etcdctl.client;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Go's name matching (the refusals' wording is checked against Debian's etcdctl in it/'s SrvTlsScenario). */
class GoHostnamesTest {

  @Test
  void aNameMatchesItselfAndAWildcardOneLeftmostLabel() {
    assertTrue(GoHostnames.matches("example.test", "example.test"));
    assertTrue(GoHostnames.matches("*.example.test", "m1.example.test"));
    assertFalse(GoHostnames.matches("*.example.test", "example.test"));
    assertFalse(GoHostnames.matches("*.example.test", "a.m1.example.test"));
    assertFalse(GoHostnames.matches("m1.*.test", "m1.example.test"));
    assertFalse(GoHostnames.matches("m*.example.test", "m1.example.test"));
    assertFalse(GoHostnames.matches("example.test", "other.test"));
    assertFalse(GoHostnames.matches("", "example.test"));
  }
}
