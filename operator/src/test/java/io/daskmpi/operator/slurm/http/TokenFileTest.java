package io.daskmpi.operator.slurm.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.daskmpi.operator.slurm.SlurmException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenFileTest {
  @TempDir Path dir;

  @Test
  void readsTheTokenAndRereadsItWhenTheFileChanges() throws Exception {
    Path file = dir.resolve("token");
    Files.writeString(file, "first.token.value\n");
    TokenFile token = new TokenFile(file);
    assertThat(token.get()).isEqualTo("first.token.value");

    Files.writeString(file, "second.token.value");
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
    assertThat(token.get()).isEqualTo("second.token.value");
  }

  @Test
  void acceptsScontrolTokenOutput() throws Exception {
    Path file = dir.resolve("token");
    Files.writeString(file, "SLURM_JWT=abc.def.ghi\n");
    assertThat(new TokenFile(file).get()).isEqualTo("abc.def.ghi");
  }

  @Test
  void missingEmptyAndMultiLineFilesAreAuthErrorsThatNameTheFileButNotTheToken() throws Exception {
    Path missing = dir.resolve("absent");
    assertThatThrownBy(() -> new TokenFile(missing).get())
        .isInstanceOf(SlurmException.Auth.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("no such file");

    Path empty = Files.writeString(dir.resolve("empty"), "  \n");
    assertThatThrownBy(() -> new TokenFile(empty).get())
        .isInstanceOf(SlurmException.Auth.class)
        .hasMessageContaining("is empty");

    Path twoLines = Files.writeString(dir.resolve("two"), "secret-one\nsecret-two\n");
    assertThatThrownBy(() -> new TokenFile(twoLines).get())
        .isInstanceOf(SlurmException.Auth.class)
        .hasMessageContaining("single-line")
        .hasMessageNotContaining("secret");
  }
}
