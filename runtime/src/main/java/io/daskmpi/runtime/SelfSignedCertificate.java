package io.daskmpi.runtime;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * An EC P-256 key and an X.509 v3 certificate for it, signed by itself: the same certificate
 * keytool makes with {@code -genkeypair -keyalg EC}, encoded here in DER by hand. The JDK has no
 * public API to create a certificate, and starting keytool costs rank 0 about 0.7 s of a launch
 * that takes under 2 s; this takes milliseconds.
 *
 * @param der the certificate
 * @param privateKey the key, PKCS #8
 */
record SelfSignedCertificate(byte[] der, byte[] privateKey) {
  /** ecdsa-with-SHA256 (1.2.840.10045.4.3.2), as the AlgorithmIdentifier's only element. */
  private static final byte[] ECDSA_SHA256 = {
    0x06, 0x08, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x04, 0x03, 0x02
  };

  private static final byte[] COMMON_NAME = {0x06, 0x03, 0x55, 0x04, 0x03};
  private static final byte[] SUBJECT_KEY_IDENTIFIER = {0x06, 0x03, 0x55, 0x1d, 0x0e};
  private static final DateTimeFormatter UTC_TIME =
      DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);

  private static final int SEQUENCE = 0x30;
  private static final int SET = 0x31;
  private static final int INTEGER = 0x02;
  private static final int BIT_STRING = 0x03;
  private static final int OCTET_STRING = 0x04;
  private static final int UTF8_STRING = 0x0c;
  private static final int UTC_TIME_TAG = 0x17;
  private static final int VERSION_TAG = 0xa0;
  private static final int EXTENSIONS_TAG = 0xa3;

  /**
   * A new key and certificate named {@code CN=commonName}, valid from a minute ago (clocks of the
   * nodes differ a little) for {@code validity}.
   */
  static SelfSignedCertificate create(String commonName, Instant now, Duration validity)
      throws GeneralSecurityException {
    SecureRandom random = new SecureRandom();
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), random);
    KeyPair pair = generator.generateKeyPair();
    byte[] algorithm = tlv(SEQUENCE, ECDSA_SHA256);
    byte[] name =
        tlv(
            SEQUENCE,
            tlv(
                SET,
                tlv(
                    SEQUENCE,
                    COMMON_NAME,
                    tlv(UTF8_STRING, commonName.getBytes(StandardCharsets.UTF_8)))));
    byte[] publicKeyInfo = pair.getPublic().getEncoded();
    byte[] tbs =
        tlv(
            SEQUENCE,
            tlv(VERSION_TAG, tlv(INTEGER, new byte[] {2})),
            tlv(INTEGER, new BigInteger(63, random).add(BigInteger.ONE).toByteArray()),
            algorithm,
            name,
            tlv(SEQUENCE, utcTime(now.minus(Duration.ofMinutes(1))), utcTime(now.plus(validity))),
            name,
            publicKeyInfo,
            tlv(
                EXTENSIONS_TAG,
                tlv(
                    SEQUENCE,
                    tlv(
                        SEQUENCE,
                        SUBJECT_KEY_IDENTIFIER,
                        tlv(OCTET_STRING, tlv(OCTET_STRING, keyIdentifier(publicKeyInfo)))))));
    Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(pair.getPrivate(), random);
    signer.update(tbs);
    byte[] signature = signer.sign();
    byte[] certificate = tlv(SEQUENCE, tbs, algorithm, tlv(BIT_STRING, new byte[] {0}, signature));
    return new SelfSignedCertificate(certificate, pair.getPrivate().getEncoded());
  }

  /** SHA-1 of the whole SubjectPublicKeyInfo: any stable 20 bytes serve as the identifier. */
  private static byte[] keyIdentifier(byte[] publicKeyInfo) throws GeneralSecurityException {
    return MessageDigest.getInstance("SHA-1").digest(publicKeyInfo);
  }

  private static byte[] utcTime(Instant t) {
    return tlv(UTC_TIME_TAG, UTC_TIME.format(t).getBytes(StandardCharsets.US_ASCII));
  }

  /** One DER element: tag, definite length, and the parts as its contents. */
  private static byte[] tlv(int tag, byte[]... parts) {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      content.writeBytes(part);
    }
    int length = content.size();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    if (length < 0x80) {
      out.write(length);
    } else {
      byte[] digits = BigInteger.valueOf(length).toByteArray();
      int skip = digits[0] == 0 ? 1 : 0;
      out.write(0x80 | (digits.length - skip));
      out.write(digits, skip, digits.length - skip);
    }
    out.writeBytes(content.toByteArray());
    return out.toByteArray();
  }
}
