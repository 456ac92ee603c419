package io.v2store.http;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** The messages a logger writes at or above a level while this is open. */
final class LogCapture extends Handler implements AutoCloseable {
  private final Logger logger;
  private final Level least;
  final List<String> messages = new CopyOnWriteArrayList<>();

  LogCapture(Logger logger, Level least) {
    this.logger = logger;
    this.least = least;
    logger.addHandler(this);
  }

  @Override
  public void publish(LogRecord record) {
    if (record.getLevel().intValue() >= least.intValue()) messages.add(record.getMessage());
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    logger.removeHandler(this);
  }
}
