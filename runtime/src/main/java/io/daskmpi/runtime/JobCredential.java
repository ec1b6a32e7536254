package io.daskmpi.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The key and certificate of one launch's private Dask cluster. Rank 0 makes them before it starts
 * the scheduler, in a directory only the job's user can read, next to the rendezvous files every
 * rank sees; the scheduler, each worker and the client present the certificate and accept only
 * peers that present it too (Dask's mutual TLS), so a process without the key cannot connect. One
 * self-signed certificate serves as the CA and as every role's certificate, as Dask's own {@code
 * Security.temporary()} does; Dask does not check host names, so it fits every node.
 */
final class JobCredential {
  static final String DIRECTORY = "tls";
  private static final String COMMON_NAME = "dask-mpi-job";

  /** Longer than Slurm's longest usual time limit; the key is made anew for every launch. */
  private static final Duration VALIDITY = Duration.ofDays(30);

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
    SelfSignedCertificate credential;
    try {
      credential = SelfSignedCertificate.create(COMMON_NAME, Instant.now(), VALIDITY);
    } catch (GeneralSecurityException e) {
      throw new IOException("this JRE cannot make an EC P-256 key: " + e.getMessage(), e);
    }
    writePrivately(key(), pem("PRIVATE KEY", credential.privateKey()));
    writePrivately(certificate(), pem("CERTIFICATE", credential.der()));
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
