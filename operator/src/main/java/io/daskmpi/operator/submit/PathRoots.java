package io.daskmpi.operator.submit;

import io.daskmpi.operator.api.v1alpha1.DaskMpiJobSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The directories an endpoint confines a job's paths to: its working directory, its script and the
 * sources of its binds. Checked twice: here, on the paths as written (normalised; '..' is refused
 * before), so a refusal names the field before anything is submitted; and by the batch script on
 * the cluster, on the paths as the filesystem resolves them, so a symlink out of a root (or a root
 * that is itself a symlink) is judged by where it really leads. An empty list confines nothing.
 *
 * @param roots absolute, normalised directories, with the resource's namespace and Slurm user
 *     already put in for {@code {namespace}} and {@code {user}}
 */
public record PathRoots(List<String> roots) {
  public static final PathRoots NONE = new PathRoots(List.of());

  public PathRoots {
    roots = List.copyOf(roots);
  }

  /**
   * The configured roots for one resource: {@code {namespace}} and {@code {user}} in a root are
   * replaced by the resource's namespace and the Slurm user it runs as.
   */
  public static PathRoots of(List<String> templates, String namespace, String user) {
    return new PathRoots(
        templates.stream()
            .map(t -> t.replace("{namespace}", namespace).replace("{user}", user))
            .map(r -> Path.of(r).normalize().toString())
            .toList());
  }

  public boolean confines() {
    return !roots.isEmpty();
  }

  /** The spec's paths outside every root, each named by its field. */
  public List<SpecProblem> check(DaskMpiJobSpec spec) {
    List<SpecProblem> problems = new ArrayList<>();
    if (!confines() || spec.getWorkingDirectory() == null) {
      return problems;
    }
    for (ConfinedPath p : paths(spec)) {
      if (!inside(p.path())) {
        problems.add(
            new SpecProblem(
                p.field(),
                "'"
                    + p.path()
                    + "' is outside the directories this endpoint allows (under "
                    + String.join(", ", roots)
                    + ")"));
      }
    }
    return problems;
  }

  /**
   * Every path the job opens on the cluster, with its field: relative ones as the job sees them
   * (relative to the working directory), which is what the batch script's check resolves too.
   */
  static List<ConfinedPath> paths(DaskMpiJobSpec spec) {
    List<ConfinedPath> paths = new ArrayList<>();
    Path workDir = Path.of(spec.getWorkingDirectory());
    paths.add(new ConfinedPath("spec.workingDirectory", workDir.normalize().toString()));
    if (spec.getScript() != null && !spec.getScript().isEmpty()) {
      paths.add(
          new ConfinedPath(
              "spec.script", workDir.resolve(spec.getScript()).normalize().toString()));
    }
    List<String> binds =
        spec.getContainer() == null || spec.getContainer().getBinds() == null
            ? List.of()
            : spec.getContainer().getBinds();
    for (int i = 0; i < binds.size(); i++) {
      String source = binds.get(i).split(":", 2)[0];
      paths.add(
          new ConfinedPath(
              "spec.container.binds[" + i + "]", workDir.resolve(source).normalize().toString()));
    }
    return paths;
  }

  private boolean inside(String path) {
    Path p = Path.of(path);
    return roots.stream().map(Path::of).anyMatch(p::startsWith);
  }

  /** A path the job will open, and the field it came from. */
  record ConfinedPath(String field, String path) {}
}
