package io.v2store.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Each case as Debian's etcd 3.4 answered it for {@code PUT ?value=<escapes>}, read back as JSON. */
class GoUtf8Test {

  private static String decode(int... bytes) {
    byte[] b = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      b[i] = (byte) bytes[i];
    }
    return GoUtf8.decode(b);
  }

  @Test
  void aTruncatedSequenceIsOneReplacementPerByte() {
    assertEquals("\ufffd\ufffd", decode(0xe2, 0x82));
    assertEquals("\ufffd\ufffdA", decode(0xe2, 0x82, 'A'));
    assertEquals("\ufffd\ufffd\ufffd", decode(0xf0, 0x9f, 0x98));
  }

  @Test
  void overlongSurrogateAndOutOfRangeFormsAreInvalidByteByByte() {
    assertEquals("\ufffd\ufffd", decode(0xc0, 0x80));
    assertEquals("\ufffd\ufffd\ufffd", decode(0xe0, 0x80, 0x80));
    assertEquals("\ufffd\ufffd\ufffd", decode(0xed, 0xa0, 0x80));
    assertEquals("\ufffd\ufffd\ufffd\ufffd", decode(0xf4, 0x90, 0x80, 0x80));
    assertEquals("\ufffd", decode(0xff));
  }

  @Test
  void validTextIsUnchanged() {
    assertEquals("\ud83d\ude00", decode(0xf0, 0x9f, 0x98, 0x80));
    assertEquals("\u00fc\u20ac-x", decode(0xc3, 0xbc, 0xe2, 0x82, 0xac, '-', 'x'));
    assertEquals("\ud7ff\uffff\udbff\udfff", decode(0xed, 0x9f, 0xbf, 0xef, 0xbf, 0xbf, 0xf4, 0x8f, 0xbf, 0xbf));
    assertEquals("", decode());
  }
}
