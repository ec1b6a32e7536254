package io.daskmpi.operator.slurm.http;

import io.daskmpi.operator.slurm.SlurmException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.function.Supplier;

/**
 * A JWT kept in a file, as a mounted Kubernetes Secret or {@code scontrol token} output would be.
 * The file is re-read when its modification time or size changes, so a rotated token is picked up
 * without a restart. The token itself never appears in a message.
 */
public final class TokenFile implements Supplier<String> {
  private final Path path;
  private FileTime cachedTime;
  private long cachedSize = -1;
  private String cachedToken;

  public TokenFile(Path path) {
    this.path = path;
  }

  public Path path() {
    return path;
  }

  /** The current token. */
  @Override
  public synchronized String get() {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(path, BasicFileAttributes.class);
    } catch (IOException e) {
      throw failure("cannot read token file " + path + ": " + describe(e), e);
    }
    if (cachedToken != null
        && attributes.lastModifiedTime().equals(cachedTime)
        && attributes.size() == cachedSize) {
      return cachedToken;
    }
    String token;
    try {
      token = parse(Files.readString(path, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw failure("cannot read token file " + path + ": " + describe(e), e);
    }
    cachedTime = attributes.lastModifiedTime();
    cachedSize = attributes.size();
    cachedToken = token;
    return token;
  }

  /**
   * Accepts the bare token or {@code scontrol token} output ({@code SLURM_JWT=...}), so either can
   * be stored in the Secret.
   */
  private String parse(String content) {
    String token = content.strip();
    if (token.startsWith("SLURM_JWT=")) {
      token = token.substring("SLURM_JWT=".length()).strip();
    }
    if (token.isEmpty()) {
      throw failure("token file " + path + " is empty", null);
    }
    if (token.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
      // Such a value could not travel in an HTTP header anyway; say so instead of a cryptic error.
      throw failure("token file " + path + " does not hold a single-line token", null);
    }
    return token;
  }

  private static String describe(IOException e) {
    return e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.toString();
  }

  private static SlurmException failure(String message, Throwable cause) {
    return new SlurmException.Auth(message, 0, List.of(), cause);
  }
}
