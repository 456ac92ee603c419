package io.v2store.server.config;

import java.nio.file.Path;
import java.util.Optional;

/** The TLS file flags (PEM paths; the CRL files PEM or DER). */
public record TlsFiles(Optional<Path> certFile, Optional<Path> keyFile, Optional<Path> trustedCaFile,
                       Optional<Path> clientCrlFile, Optional<Path> peerCertFile, Optional<Path> peerKeyFile,
                       Optional<Path> peerTrustedCaFile, Optional<Path> peerCrlFile) {

    public static TlsFiles none() {
        return new TlsFiles(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    public boolean anySet() {
        return certFile.isPresent() || keyFile.isPresent() || trustedCaFile.isPresent() || clientCrlFile.isPresent()
            || peerCertFile.isPresent() || peerKeyFile.isPresent() || peerTrustedCaFile.isPresent()
            || peerCrlFile.isPresent();
    }
}
