package io.v2store.http;

import io.netty.handler.codec.http.FullHttpRequest;

/**
 * A request that passed routing.
 *
 * @param path the percent-decoded, already canonical request path
 * @param rawQuery the undecoded query string, null when there is none
 */
record RoutedRequest(FullHttpRequest http, String path, String rawQuery) {
  String method() {
    return http.method().name();
  }

  boolean isHead() {
    return http.method().name().equals("HEAD");
  }
}
