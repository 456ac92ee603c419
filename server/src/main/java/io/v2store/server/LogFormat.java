package io.v2store.server;

import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/** One line per event: time, level, message (which names the member), then any stack trace. */
final class LogFormat extends Formatter {
  @Override
  public String format(LogRecord record) {
    StringBuilder line = new StringBuilder(128)
        .append(Instant.ofEpochMilli(record.getMillis()))
        .append(' ')
        .append(record.getLevel().getName())
        .append(' ')
        .append(formatMessage(record))
        .append(System.lineSeparator());
    if (record.getThrown() != null) {
      java.io.StringWriter trace = new java.io.StringWriter();
      record.getThrown().printStackTrace(new java.io.PrintWriter(trace));
      line.append(trace);
    }
    return line.toString();
  }
}
