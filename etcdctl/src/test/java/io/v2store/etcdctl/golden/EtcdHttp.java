package io.v2store.etcdctl.golden;

import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Direct v2 writes for test set-up, independent of the etcdctl under test. */
final class EtcdHttp {
    private EtcdHttp() {
    }

    /** PUTs a value and returns the X-Etcd-Index of the answer. */
    static long put(String endpoint, String key, String value) throws IOException {
        final HttpURLConnection conn = (HttpURLConnection) new URL(endpoint + "/v2/keys" + key).openConnection();
        conn.setRequestMethod("PUT");
        conn.setDoOutput(true);
        conn.setConnectTimeout(2000);
        conn.setReadTimeout(10_000);
        conn.setRequestProperty("Content-Type", "application/x-www-form-urlencoded");
        try (OutputStream out = conn.getOutputStream()) {
            out.write(("value=" + URLEncoder.encode(value, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        }
        if (conn.getResponseCode() / 100 != 2) {
            throw new IOException("PUT " + key + " answered " + conn.getResponseCode());
        }
        conn.getInputStream().readAllBytes();
        return Long.parseLong(conn.getHeaderField("X-Etcd-Index"));
    }
}
