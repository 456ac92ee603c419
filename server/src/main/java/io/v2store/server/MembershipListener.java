package io.v2store.server;

import io.v2store.http.Member;

/** Told, on the apply thread, when a committed configuration change altered the cluster. */
interface MembershipListener {
  void added(Member member);

  void updated(Member member);

  void removed(long id);
}
