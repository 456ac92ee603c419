package io.v2store.etcdctl.client;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the PEM files etcd takes: certificates, and private keys as openssl writes them (PKCS#8
 * "PRIVATE KEY", PKCS#1 "RSA PRIVATE KEY", SEC1 "EC PRIVATE KEY"). The JDK reads only PKCS#8, so
 * the other two are wrapped into PKCS#8 here rather than pulling in a crypto library for it.
 * Error messages are Go's, since operators compare them with etcd's. (The server has its own
 * copy: etcdctl depends on no module of ours.)
 */
final class PemFiles {
  private static final Pattern BLOCK = Pattern.compile(
      "-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
  private static final byte[] RSA_ALGORITHM = hex("300d06092a864886f70d0101010500");
  private static final byte[] EC_PUBLIC_KEY_OID = hex("06072a8648ce3d0201");

  private PemFiles() {}

  /** Every certificate in the file, leaf first for a chain. */
  static List<X509Certificate> certificates(Path file) throws IOException {
    List<X509Certificate> result = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (Block block : blocks(file)) {
        if (block.type().equals("CERTIFICATE")) {
          result.add((X509Certificate) factory.generateCertificate(
              new ByteArrayInputStream(block.der())));
        }
      }
    } catch (GeneralSecurityException e) {
      throw new IOException("x509: malformed certificate in " + file + ": " + e.getMessage(), e);
    }
    if (result.isEmpty()) {
      throw new IOException("tls: failed to find any PEM data in certificate input");
    }
    return result;
  }

  /** The first private key in the file. */
  static PrivateKey privateKey(Path file) throws IOException {
    for (Block block : blocks(file)) {
      switch (block.type()) {
        case "PRIVATE KEY":
          return pkcs8(block.der());
        case "RSA PRIVATE KEY":
          return pkcs8(Der.sequence(Der.integerZero(), RSA_ALGORITHM,
              Der.encode(0x04, block.der())));
        case "EC PRIVATE KEY":
          byte[] curve = Der.sec1Curve(block.der());
          return pkcs8(Der.sequence(Der.integerZero(), Der.sequence(EC_PUBLIC_KEY_OID, curve),
              Der.encode(0x04, block.der())));
        case "ENCRYPTED PRIVATE KEY":
          throw new IOException("tls: encrypted private keys are not supported: " + file);
        default:
          // EC PARAMETERS, certificates: skip, as Go's tls.X509KeyPair does
      }
    }
    throw new IOException("tls: failed to find any PEM data in key input");
  }

  /** Go's check that the key belongs to the certificate: sign with one, verify with the other. */
  static void checkPair(PrivateKey key, X509Certificate cert) throws IOException {
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      default -> key.getAlgorithm();
    };
    byte[] probe = "v2store key pair check".getBytes(StandardCharsets.US_ASCII);
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(cert.getPublicKey());
      verifier.update(probe);
      if (verifier.verify(signature)) {
        return;
      }
    } catch (GeneralSecurityException mismatch) {
      // a key of another type than the certificate's: the same answer as a wrong key
    }
    throw new IOException("tls: private key does not match public key");
  }

  private static PrivateKey pkcs8(byte[] der) throws IOException {
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    for (String algorithm : List.of("RSA", "EC", "Ed25519", "RSASSA-PSS")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException notThisOne) {
        // try the next key type
      }
    }
    throw new IOException("tls: failed to parse private key");
  }

  private record Block(String type, byte[] der) {}

  private static List<Block> blocks(Path file) throws IOException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.ISO_8859_1);
    } catch (NoSuchFileException e) {
      throw new IOException("open " + file + ": no such file or directory", e);
    }
    List<Block> blocks = new ArrayList<>();
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      // RFC 1421 headers (Proc-Type: 4,ENCRYPTED) mark an encrypted legacy key
      String body = m.group(2);
      if (body.contains("Proc-Type:")) {
        throw new IOException("tls: encrypted private keys are not supported: " + file);
      }
      try {
        blocks.add(new Block(m.group(1), Base64.getMimeDecoder().decode(body.trim())));
      } catch (IllegalArgumentException e) {
        throw new IOException("tls: bad PEM data in " + file, e);
      }
    }
    return blocks;
  }

  private static byte[] hex(String s) {
    byte[] out = new byte[s.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
    }
    return out;
  }

  /** Just enough DER to wrap a key: definite lengths, and one walk into a SEC1 structure. */
  private static final class Der {
    private Der() {}

    static byte[] integerZero() {
      return new byte[] {0x02, 0x01, 0x00};
    }

    static byte[] sequence(byte[]... parts) {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      for (byte[] part : parts) {
        body.writeBytes(part);
      }
      return encode(0x30, body.toByteArray());
    }

    static byte[] encode(int tag, byte[] value) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(tag);
      int length = value.length;
      if (length < 0x80) {
        out.write(length);
      } else {
        int bytes = length > 0xffffff ? 4 : length > 0xffff ? 3 : length > 0xff ? 2 : 1;
        out.write(0x80 | bytes);
        for (int i = bytes - 1; i >= 0; i--) {
          out.write(length >>> (8 * i));
        }
      }
      out.writeBytes(value);
      return out.toByteArray();
    }

    /**
     * The named-curve OID (tag, length and value) inside ECPrivateKey ::= SEQUENCE { version,
     * privateKey OCTET STRING, [0] parameters, [1] publicKey }.
     */
    static byte[] sec1Curve(byte[] der) throws IOException {
      int[] seq = header(der, 0);
      int at = seq[0];
      while (at < seq[0] + seq[1]) {
        int tag = der[at] & 0xff;
        int[] field = header(der, at);
        if (tag == 0xa0) {
          int[] oid = header(der, field[0]);
          int start = field[0];
          int end = oid[0] + oid[1];
          byte[] result = new byte[end - start];
          System.arraycopy(der, start, result, 0, result.length);
          return result;
        }
        at = field[0] + field[1];
      }
      throw new IOException("tls: EC private key without a named curve");
    }

    /** @return {offset of the value, length of the value} of the element at {@code at} */
    private static int[] header(byte[] der, int at) throws IOException {
      if (at + 2 > der.length) {
        throw new IOException("tls: truncated private key");
      }
      int length = der[at + 1] & 0xff;
      int offset = at + 2;
      if (length >= 0x80) {
        int bytes = length & 0x7f;
        length = 0;
        for (int i = 0; i < bytes; i++) {
          length = (length << 8) | (der[offset++] & 0xff);
        }
      }
      if (offset + length > der.length) {
        throw new IOException("tls: truncated private key");
      }
      return new int[] {offset, length};
    }
  }
}
