package io.daskmpi.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The unit tests build no image (that takes apptainer and minutes: {@code dev/local-slurm
 * build-image}), so the definition files are kept honest by reading them: the sections a build
 * needs, the jar they copy being the one Maven builds, and a runscript that hands every argument to
 * the runtime.
 */
class ImageDefinitionTest {
  private static final Path MODULE = Path.of(System.getProperty("runtime.basedir", "."));
  private static final Path REPOSITORY = MODULE.toAbsolutePath().normalize().getParent();
  private static final String JAR_IN_IMAGE = "/opt/dask-mpi/dask-mpi-runtime.jar";

  /** A definition file: the header (Bootstrap, From) and its %sections by name. */
  record Definition(String header, Map<String, String> sections) {
    static Definition read(String name) {
      String text;
      try {
        text = Files.readString(MODULE.resolve("image").resolve(name));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Map<String, String> sections = new LinkedHashMap<>();
      String[] parts = text.split("(?m)^%");
      for (int i = 1; i < parts.length; i++) {
        int end = parts[i].indexOf('\n');
        sections.put(parts[i].substring(0, end).trim(), parts[i].substring(end + 1));
      }
      return new Definition(parts[0], sections);
    }

    String section(String name) {
      assertThat(sections).containsKey(name);
      return sections.get(name);
    }

    /** The one %files line, as source and destination. */
    List<String> file() {
      List<String> file = List.of(section("files").strip().split("\\s+"));
      assertThat(file).hasSize(2);
      return file;
    }

    String label(String key) {
      Matcher m =
          Pattern.compile("(?m)^\\s*" + Pattern.quote(key) + "\\s+(.+)$")
              .matcher(section("labels"));
      assertThat(m.find()).as("label %s", key).isTrue();
      return m.group(1).strip();
    }
  }

  private static String mavenJar() throws IOException {
    String pom = Files.readString(MODULE.resolve("pom.xml"));
    Matcher finalName = Pattern.compile("<finalName>([^<]+)</finalName>").matcher(pom);
    assertThat(finalName.find()).isTrue();
    return finalName.group(1) + ".jar";
  }

  /** What both images share: the jar Maven builds, at one place, run with every argument. */
  private static void copiesTheJarMavenBuildsAndRunsIt(Definition def) throws IOException {
    List<String> file = def.file();
    // Relative to the repository root, where the build is run from.
    assertThat(file.get(0)).isEqualTo("runtime/target/" + mavenJar());
    assertThat(REPOSITORY.resolve(file.get(0)).normalize())
        .isEqualTo(MODULE.resolve("target/" + mavenJar()).toAbsolutePath().normalize());
    assertThat(file.get(1)).isEqualTo(JAR_IN_IMAGE);
    assertThat(def.label("io.daskmpi.runtime.jar")).isEqualTo(JAR_IN_IMAGE);

    String runscript = def.section("runscript").strip();
    assertThat(runscript)
        .startsWith("exec java")
        .contains("-jar " + JAR_IN_IMAGE)
        .endsWith("\"$@\"");
    for (String flag : LocalSlurm.JAVA_FLAGS) {
      assertThat(runscript).contains(flag);
    }
    assertThat(def.section("test")).contains("-jar " + JAR_IN_IMAGE);
  }

  /** image/dask-mpi.def: the conda-based image for sites (Dask, bokeh, a JRE). */
  @Nested
  class Conda {
    private final Definition def = Definition.read("dask-mpi.def");

    @Test
    void hasTheSectionsABuildNeeds() {
      assertThat(def.header())
          .containsPattern("(?m)^Bootstrap: docker$")
          .containsPattern("(?m)^From: \\S+:\\S+$");
      assertThat(def.sections())
          .containsKeys("files", "post", "environment", "runscript", "test", "help", "labels");
    }

    @Test
    void copiesTheJarMavenBuildsAndRunsItWithAllArguments() throws IOException {
      copiesTheJarMavenBuildsAndRunsIt(def);
    }

    @Test
    void theClassDataArchiveTheRunscriptUsesIsMadeAtBuildTime() {
      Matcher archive =
          Pattern.compile("-XX:SharedArchiveFile=(\\S+)").matcher(def.section("runscript"));
      assertThat(archive.find()).isTrue();

      assertThat(def.section("post")).contains("-XX:ArchiveClassesAtExit=" + archive.group(1));
    }

    @Test
    void installsPythonWithDaskBokehAndAJre() {
      assertThat(def.section("post"))
          .contains("distributed=")
          .contains("dask-core=")
          .contains("bokeh=")
          .contains("python=")
          .contains("openjdk-17-jre-headless");
      assertThat(def.section("environment")).contains("/opt/conda/envs/dask/bin");
      assertThat(def.section("test")).contains("import dask, distributed, bokeh");
    }
  }

  /**
   * image/dask-mpi-debian.def: the same job from Debian's packages, built from a tree made
   * beforehand (dev/lib/slurm-image.sh), because root builds with %post fail without full
   * capabilities.
   */
  @Nested
  class Debian {
    private final Definition def = Definition.read("dask-mpi-debian.def");

    @Test
    void isBuiltFromATreeWithoutPost() {
      assertThat(def.header())
          .containsPattern("(?m)^Bootstrap: localimage$")
          .containsPattern("(?m)^From: \\{\\{ tree \\}\\}$");
      assertThat(def.section("arguments")).containsPattern("(?m)^\\s*tree=/\\S+$");
      assertThat(def.sections())
          .containsKeys("files", "environment", "runscript", "test", "help", "labels")
          .doesNotContainKeys("post", "setup");
    }

    @Test
    void copiesTheJarMavenBuildsAndRunsItWithAllArguments() throws IOException {
      copiesTheJarMavenBuildsAndRunsIt(def);
    }

    @Test
    void runscriptUsesNoClassDataArchiveThatNoBuildStepMakes() {
      assertThat(def.section("runscript")).doesNotContain("SharedArchiveFile");
    }

    @Test
    void theLabelsNameTheTreeThatDevLocalSlurmMakes() throws IOException {
      assertThat(def.label("io.daskmpi.image.debian-suite")).matches("[a-z]+");
      List<String> packages =
          Arrays.asList(def.label("io.daskmpi.image.debian-packages").split("\\s+"));
      // Dask for the ranks, a JRE for the runtime.
      assertThat(packages).contains("python3-distributed", "default-jre-headless");
      assertThat(def.section("test")).contains("import dask, distributed");

      String builder = Files.readString(REPOSITORY.resolve("dev/lib/slurm-image.sh"));
      assertThat(builder)
          .contains("io.daskmpi.image.debian-suite")
          .contains("io.daskmpi.image.debian-packages")
          .contains("runtime/image/dask-mpi-debian.def");
    }

    @Test
    void helpShowsTheApptainerCommand() {
      assertThat(def.section("help")).contains("apptainer run dask-mpi.sif");
    }
  }
}
