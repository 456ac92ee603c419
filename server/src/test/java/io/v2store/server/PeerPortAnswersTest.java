package io.v2store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.v2store.http.Member;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The peer port's GET /members, byte for byte as Debian's etcd 3.4 answers it. */
class PeerPortAnswersTest {
  @Test
  void membersAreEtcdsStructWithUnsignedIdsAndNoEmptyFields() {
    Members members = new Members(0x5c75a2e1e1a8f0e7L, List.of(
        new Member(0x5c75a2e1e1a8f0e7L, "r1", List.of("http://127.0.0.1:33380"), List.of("http://127.0.0.1:33379")),
        // added, not started: no name, no client URLs yet; an id above 2^63 stays unsigned
        new Member(0xb14e8d4a2b36ea11L, "", List.of("http://127.0.0.1:33390"), List.of())));
    String expected = "[{\"id\":6662410314801803495,\"peerURLs\":[\"http://127.0.0.1:33380\"],\"name\":\"r1\","
        + "\"clientURLs\":[\"http://127.0.0.1:33379\"]},{\"id\":12776304542588791313,"
        + "\"peerURLs\":[\"http://127.0.0.1:33390\"]}]";
    assertEquals(Optional.of(expected), new PeerPortAnswers(members, 1).get("/members"));
  }
}
