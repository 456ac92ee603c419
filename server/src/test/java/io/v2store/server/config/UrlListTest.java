package io.v2store.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UrlListTest {

    @Test
    void sortsAndRemovesDuplicatesLikeEtcd() {
        assertEquals(List.of(URI.create("http://127.0.0.1:2"), URI.create("https://a:1")),
            UrlList.parse("https://a:1,http://127.0.0.1:2,https://a:1"));
    }

    @Test
    void emptyTextIsAnEmptyList() {
        assertEquals(List.of(), UrlList.parse(""));
    }

    @Test
    void acceptsAllFourSchemesAndIpv6() {
        assertEquals(4, UrlList.parse("http://a:1,https://a:2,unix://a:3,unixs://a:4").size());
        assertEquals(1, UrlList.parse("http://[::1]:2379").size());
    }

    // Messages as /usr/bin/etcd prints them for --listen-client-urls=<value>.
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ftp://x:1|URL scheme must be http, https, unix, or unixs: ftp://x:1",
        "localhost:1|URL scheme must be http, https, unix, or unixs: localhost:1",
        "http://a.com|URL address does not have the form \"host:port\": http://a.com",
        "http://a:1/p|URL must not contain a path: http://a:1/p",
        "http://127.0.0.1:x|parse \"http://127.0.0.1:x\": invalid port \":x\" after host",
        "http://[::1]:x|parse \"http://[::1]:x\": invalid port \":x\" after host",
        "http://a:1x|parse \"http://a:1x\": invalid port \":1x\" after host",
        "http://a:-1|parse \"http://a:-1\": invalid port \":-1\" after host",
        "http://a:http|parse \"http://a:http\": invalid port \":http\" after host"})
    void rejectsWithEtcdsMessage(String text, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UrlList.parse(text));
        assertEquals(message, e.getMessage());
    }

    @Test
    void oneBadUrlInAListFailsTheList() {
        assertThrows(IllegalArgumentException.class, () -> UrlList.parse("http://a:1,nope"));
    }
}
