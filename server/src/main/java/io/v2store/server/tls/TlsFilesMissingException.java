package io.v2store.server.tls;

import java.io.IOException;
import java.net.URI;

/**
 * An https client URL with neither --cert-file and --key-file nor --auto-tls: a mistake in the
 * flags, told in etcd's one line rather than with a stack trace.
 */
public final class TlsFilesMissingException extends IOException {
  private static final long serialVersionUID = 1L;

  TlsFilesMissingException(URI clientUrl) {
    super("TLS key/cert (--cert-file, --key-file) must be provided for client url " + clientUrl
        + " with HTTPS scheme");
  }
}
