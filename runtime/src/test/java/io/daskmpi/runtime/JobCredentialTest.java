package io.daskmpi.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Date;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobCredentialTest {
  @TempDir Path rendezvous;

  private static byte[] pemBody(Path file) throws Exception {
    String body = Files.readString(file).replaceAll("-----[A-Z ]+-----", "");
    return Base64.getMimeDecoder().decode(body);
  }

  @Test
  void theCertificateIsSelfSignedForItsKeyAndBothAreReadableByTheUserOnly() throws Exception {
    JobCredential credential = new JobCredential(rendezvous);
    credential.create();

    X509Certificate cert =
        (X509Certificate)
            CertificateFactory.getInstance("X.509")
                .generateCertificate(
                    new ByteArrayInputStream(Files.readAllBytes(credential.certificate())));
    cert.verify(cert.getPublicKey());
    cert.checkValidity(new Date());
    assertThat(cert.getVersion()).isEqualTo(3);
    assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=dask-mpi-job");
    assertThat(cert.getIssuerX500Principal()).isEqualTo(cert.getSubjectX500Principal());
    assertThat(cert.getSigAlgName()).isEqualTo("SHA256withECDSA");
    assertThat(cert.getExtensionValue("2.5.29.14")).as("subject key identifier").isNotNull();
    assertThat(cert.getNotAfter()).isAfter(new Date(System.currentTimeMillis() + 29L * 86_400_000));

    PrivateKey key =
        KeyFactory.getInstance("EC")
            .generatePrivate(new PKCS8EncodedKeySpec(pemBody(credential.key())));
    byte[] message = "only the holder of the key".getBytes(StandardCharsets.UTF_8);
    Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(key);
    signer.update(message);
    Signature verifier = Signature.getInstance("SHA256withECDSA");
    verifier.initVerify(cert.getPublicKey());
    verifier.update(message);
    assertThat(verifier.verify(signer.sign())).as("the key belongs to the certificate").isTrue();

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credential.key())))
        .isEqualTo("rw-------");
    assertThat(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(credential.certificate())))
        .isEqualTo("rw-------");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(credential.key().getParent())))
        .isEqualTo("rwx------");
  }

  @Test
  void everyLaunchGetsItsOwnKey() throws Exception {
    JobCredential credential = new JobCredential(rendezvous);
    credential.create();
    String first = Files.readString(credential.key());
    credential.create();
    assertThat(Files.readString(credential.key())).isNotEqualTo(first);
  }
}
