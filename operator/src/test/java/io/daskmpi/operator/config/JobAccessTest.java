package io.daskmpi.operator.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JobAccessTest {
  private static final JobAccess ACCESS =
      new JobAccess(
          Map.of("/home", "/mnt/home", "/home/big", "/mnt/big", "/scratch", "/scratch"), false);

  /** A file the job wrote, and where the operator reads it ("-": nowhere). */
  @ParameterizedTest
  @CsvSource({
    "/home/alice/dask-sum-1.out, /mnt/home/alice/dask-sum-1.out",
    "/home/big/x.out, /mnt/big/x.out",
    "/scratch/a/b.out, /scratch/a/b.out",
    "/home2/alice/x.out, -",
    "/home/../etc/shadow, -",
    "/home/alice/../../etc/shadow, -",
    "relative/x.out, -",
    "/srv/x.out, -",
  })
  void theLongestMappedDirectoryHoldingTheFileWins(String cluster, String local) {
    assertThat(ACCESS.localPath(cluster).map(l -> l.path().toString()).orElse("-"))
        .isEqualTo(local);
  }
}
