package io.v2store.raft.transport;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;

/** The handlers of a peer connection, the same on both sides apart from the last one. */
final class Pipelines {
  private Pipelines() {}

  /** The names of what {@link #install} adds, in order. */
  static final java.util.List<String> NAMES =
      java.util.List.of("frameDecoder", "frameEncoder", "messageFramer", "peer");

  static void install(ChannelPipeline pipeline, TransportConfig config, ChannelHandler last) {
    install(pipeline, config, config.maxFrameBytes(), last);
  }

  /** As above, the first frame read at most maxFirstFrameBytes. */
  static void install(ChannelPipeline pipeline, TransportConfig config, int maxFirstFrameBytes,
      ChannelHandler last) {
    pipeline.addLast("frameDecoder", new FrameDecoder(config.maxFrameBytes(),
        Math.min(maxFirstFrameBytes, config.maxFrameBytes())));
    pipeline.addLast("frameEncoder", new FrameEncoder());
    pipeline.addLast("messageFramer", new MessageFramer(config.snapshotChunkBytes(),
        config.snapshotChunkTimeoutMillis()));
    pipeline.addLast("peer", last);
  }
}
