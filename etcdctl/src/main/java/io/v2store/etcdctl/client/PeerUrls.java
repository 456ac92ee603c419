package io.v2store.etcdctl.client;

/** The checks of etcd's {@code types.NewURLs}, with its messages, applied before a members request. */
final class PeerUrls {
    private PeerUrls() {
    }

    static void validate(String url) throws MembersClient.MembersException {
        final int schemeEnd = url.indexOf("://");
        final String scheme = schemeEnd < 0 ? "" : url.substring(0, schemeEnd);
        if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals("unix") && !scheme.equals("unixs")) {
            throw new MembersClient.MembersException("URL scheme must be http, https, unix, or unixs: " + url);
        }
        final String rest = url.substring(schemeEnd + 3);
        final int slash = rest.indexOf('/');
        final String host = slash < 0 ? rest : rest.substring(0, slash);
        if (host.lastIndexOf(':') <= host.lastIndexOf(']')) {
            throw new MembersClient.MembersException("URL address does not have the form \"host:port\": " + url);
        }
        if (slash >= 0 && !rest.substring(slash).isEmpty()) {
            throw new MembersClient.MembersException("URL must not contain a path: " + url);
        }
    }
}
