package io.v2store.server.config;

import java.util.Objects;
import java.util.Optional;

/**
 * The TLS flags that name no file: which certificates may connect beyond "signed by the CA", and
 * whether to make certificates at start.
 *
 * @param clientCertAllowedHostname --client-cert-allowed-hostname: a client certificate must name
 *     this host (or IP) in its subject alternative names
 * @param peerCertAllowedCn --peer-cert-allowed-cn: a peer's certificate must have this common name
 * @param peerCertAllowedHostname --peer-cert-allowed-hostname: a peer's certificate must name this
 *     host (or IP)
 * @param peerSkipClientSanVerification --experimental-peer-skip-client-san-verification: do not
 *     match a dialing peer's certificate against its address
 * @param autoTls --auto-tls: https client listeners without --cert-file/--key-file get a
 *     certificate made at start
 * @param peerAutoTls --peer-auto-tls: the same for https peer listeners
 */
public record TlsSettings(Optional<String> clientCertAllowedHostname,
        Optional<String> peerCertAllowedCn, Optional<String> peerCertAllowedHostname,
        boolean peerSkipClientSanVerification, boolean autoTls, boolean peerAutoTls) {

    public TlsSettings {
        Objects.requireNonNull(clientCertAllowedHostname);
        Objects.requireNonNull(peerCertAllowedCn);
        Objects.requireNonNull(peerCertAllowedHostname);
    }

    public static TlsSettings none() {
        return new TlsSettings(Optional.empty(), Optional.empty(), Optional.empty(), false, false,
                false);
    }
}
