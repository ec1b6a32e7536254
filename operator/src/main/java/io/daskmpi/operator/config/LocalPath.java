package io.daskmpi.operator.config;

import java.nio.file.Path;

/**
 * Where the operator reads a file of the cluster: {@code path}, under the local directory {@code
 * root} that a configured mapping names.
 */
public record LocalPath(Path root, Path path) {}
