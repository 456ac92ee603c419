package io.v2store.raft.core;

import io.v2store.raft.ReadState;
import io.v2store.raft.pb.Message;
import io.v2store.raft.pb.MessageType;
import java.util.ArrayList;
import java.util.List;

/**
 * What the core produced since the last Ready. Messages are sorted here by what they promise:
 * acknowledgements of appends and votes promise durability, so they wait for the persist step.
 * So do heartbeat answers: the leader lease counts on a member that answered one restarting with
 * the term it answered in (LeaderLease).
 */
final class Outbox {
  private List<Message> messages = new ArrayList<>();
  private List<Message> afterPersist = new ArrayList<>();
  private List<ReadState> readStates = new ArrayList<>();

  void add(Message m) {
    if (needsPersist(m.getType())) afterPersist.add(m);
    else messages.add(m);
  }

  static boolean needsPersist(MessageType type) {
    return type == MessageType.MSG_APP_RESP
        || type == MessageType.MSG_HEARTBEAT_RESP
        || type == MessageType.MSG_VOTE_RESP
        || type == MessageType.MSG_PRE_VOTE_RESP;
  }

  void addReadState(ReadState rs) {
    readStates.add(rs);
  }

  boolean isEmpty() {
    return messages.isEmpty() && afterPersist.isEmpty() && readStates.isEmpty();
  }

  List<Message> takeMessages() {
    List<Message> out = messages;
    messages = new ArrayList<>();
    return out;
  }

  List<Message> takeAfterPersist() {
    List<Message> out = afterPersist;
    afterPersist = new ArrayList<>();
    return out;
  }

  List<ReadState> takeReadStates() {
    List<ReadState> out = readStates;
    readStates = new ArrayList<>();
    return out;
  }

  /** For tests of the core: a view of what is queued, without taking it. */
  List<Message> peekAll() {
    List<Message> all = new ArrayList<>(messages);
    all.addAll(afterPersist);
    return all;
  }
}
