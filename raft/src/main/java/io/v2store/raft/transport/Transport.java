package io.v2store.raft.transport;

import io.v2store.raft.pb.Message;
import java.util.List;

/**
 * What the driver needs to get messages to peers. Never blocks: a message that cannot be queued
 * is dropped and reported as unreachable, and Raft retries. Tests and the simulation substitute
 * their own implementation.
 */
public interface Transport {

  /** Queues each message for its {@code to} member. */
  void send(List<Message> messages);
}
