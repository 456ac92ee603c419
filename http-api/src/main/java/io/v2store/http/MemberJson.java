package io.v2store.http;

import java.util.List;

/** The members-API JSON shapes (spec 10.1), built as strings: these are small and rare. */
final class MemberJson {
  private MemberJson() {}

  static String member(Member m) {
    return "{\"id\":\"" + Responses.hex(m.id()) + "\",\"name\":" + JsonText.quote(m.name())
        + ",\"peerURLs\":" + strings(m.peerUrls()) + ",\"clientURLs\":" + strings(m.clientUrls())
        + "}";
  }

  static String members(List<Member> members) {
    StringBuilder sb = new StringBuilder("{\"members\":[");
    for (int i = 0; i < members.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(member(members.get(i)));
    }
    return sb.append("]}").toString();
  }

  static String strings(List<String> values) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(JsonText.quote(values.get(i)));
    }
    return sb.append(']').toString();
  }
}
