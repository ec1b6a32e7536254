package io.daskmpi.operator.access;

import io.daskmpi.operator.config.LocalPath;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A job's output file as the operator opens it: never through a symbolic link below the mapped
 * directory. The job's user owns the directory the file is in, and could otherwise replace the file
 * with a link to anything the operator can read (its own Slurm token or signing key, another team's
 * output).
 */
final class OutputFile {
  /** The file is reached through a symbolic link, or is no regular file. */
  static final class Refused extends IOException {
    Refused(String message) {
      super(message);
    }
  }

  private final LocalPath local;

  OutputFile(LocalPath local) {
    this.local = local;
  }

  /** The open file, or null while it does not exist. */
  InputStream open() throws IOException {
    Path file = local.path();
    Path expected;
    try {
      expected = local.root().toRealPath().resolve(local.root().relativize(file));
      if (!file.toRealPath().equals(expected)) {
        throw refused();
      }
    } catch (NoSuchFileException e) {
      return null;
    }
    InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS);
    // Checked again once open: a link swapped in between the two checks is caught here.
    boolean regular =
        Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
            .isRegularFile();
    if (!regular || !file.toRealPath().equals(expected)) {
      in.close();
      throw refused();
    }
    return in;
  }

  /** Names no local path: the caller knows the file by its path on the cluster. */
  private static Refused refused() {
    return new Refused("it is reached through a symbolic link or is no regular file");
  }
}
