package io.daskmpi.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The key and certificate of one launch's private Dask cluster. Rank 0 makes them before it starts
 * the scheduler, in a directory only the job's user can read, next to the rendezvous files every
 * rank sees; the scheduler, each worker and the client present the certificate and accept only
 * peers that present it too (Dask's mutual TLS), so a process without the key cannot connect. One
 * self-signed certificate serves as the CA and as every role's certificate, as Dask's own {@code
 * Security.temporary()} does; Dask does not check host names, so it fits every node.
 *
 * <p>keytool (part of every JRE the runtime runs on) makes the pair: the JDK has no API to create a
 * certificate. Its password is random, passed through the environment, and dies with the keystore.
 */
final class JobCredential {
  static final String DIRECTORY = "tls";
  private static final Duration KEYTOOL_LIMIT = Duration.ofSeconds(60);
  private static final String ALIAS = "dask";

  private final Path dir;

  JobCredential(Path rendezvousDirectory) {
    this.dir = rendezvousDirectory.resolve(DIRECTORY);
  }

  Path certificate() {
    return dir.resolve("cert.pem");
  }

  Path key() {
    return dir.resolve("key.pem");
  }

  /** Rank 0: a new key and certificate, readable by this user only. */
  void create() throws IOException {
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    Path store = dir.resolve("credential.p12");
    Files.deleteIfExists(store);
    String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
    try {
      keytool(store, password);
      KeyStore keys = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(store)) {
        keys.load(in, password.toCharArray());
      }
      byte[] key = keys.getKey(ALIAS, password.toCharArray()).getEncoded();
      byte[] cert = keys.getCertificate(ALIAS).getEncoded();
      writePrivately(key(), pem("PRIVATE KEY", key));
      writePrivately(certificate(), pem("CERTIFICATE", cert));
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read the key keytool made: " + e.getMessage(), e);
    } finally {
      Files.deleteIfExists(store);
    }
  }

  /**
   * Dask's configuration for every process of the launch: TLS required, the certificate as the CA
   * and as the scheduler's, the workers' and the client's.
   */
  Map<String, String> daskEnvironment() {
    String cert = certificate().toString();
    String key = key().toString();
    Map<String, String> env = new LinkedHashMap<>();
    env.put("DASK_DISTRIBUTED__COMM__REQUIRE_ENCRYPTION", "True");
    env.put("DASK_DISTRIBUTED__COMM__TLS__CA_FILE", cert);
    for (String role : List.of("SCHEDULER", "WORKER", "CLIENT")) {
      env.put("DASK_DISTRIBUTED__COMM__TLS__" + role + "__CERT", cert);
      env.put("DASK_DISTRIBUTED__COMM__TLS__" + role + "__KEY", key);
    }
    return env;
  }

  private static void keytool(Path store, String password) throws IOException {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    ProcessBuilder pb =
        new ProcessBuilder(
                keytool.toString(),
                "-genkeypair",
                "-alias",
                ALIAS,
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-sigalg",
                "SHA256withECDSA",
                "-dname",
                "CN=dask-mpi-job",
                "-validity",
                "30",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass:env",
                "DASK_MPI_STORE_PASSWORD",
                "-keypass:env",
                "DASK_MPI_STORE_PASSWORD")
            .redirectErrorStream(true);
    pb.environment().put("DASK_MPI_STORE_PASSWORD", password);
    Process p = pb.start();
    p.getOutputStream().close();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    try {
      if (!p.waitFor(KEYTOOL_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("keytool did not finish in " + KEYTOOL_LIMIT.toSeconds() + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IOException("interrupted while keytool ran", e);
    }
    if (p.exitValue() != 0) {
      throw new IOException("keytool failed with exit code " + p.exitValue() + ": " + output);
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  /** Written under a temporary name with 0600 from the start, then moved into place. */
  private static void writePrivately(Path target, String text) throws IOException {
    Path tmp =
        Files.createTempFile(
            target.getParent(),
            ".tmp-",
            "",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(tmp, text, StandardCharsets.US_ASCII);
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
