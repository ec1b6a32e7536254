package io.daskmpi.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Neither Singularity nor Apptainer can be installed here, so the definition file is kept honest by
 * reading it: the sections a build needs, and the jar it copies being the one Maven builds.
 */
class ImageDefinitionTest {
  private static final Path MODULE = Path.of(System.getProperty("runtime.basedir", "."));
  private static Map<String, String> sections;
  private static String header;

  @BeforeAll
  static void read() throws IOException {
    String text = Files.readString(MODULE.resolve("image/dask-mpi.def"));
    sections = new LinkedHashMap<>();
    String[] parts = text.split("(?m)^%");
    header = parts[0];
    for (int i = 1; i < parts.length; i++) {
      int end = parts[i].indexOf('\n');
      sections.put(parts[i].substring(0, end).trim(), parts[i].substring(end + 1));
    }
  }

  @Test
  void hasTheSectionsABuildNeeds() {
    assertThat(header)
        .containsPattern("(?m)^Bootstrap: docker$")
        .containsPattern("(?m)^From: \\S+:\\S+$");
    assertThat(sections)
        .containsKeys("files", "post", "environment", "runscript", "test", "help", "labels");
  }

  @Test
  void copiesTheJarMavenBuilds() throws IOException {
    String pom = Files.readString(MODULE.resolve("pom.xml"));
    Matcher finalName = Pattern.compile("<finalName>([^<]+)</finalName>").matcher(pom);
    assertThat(finalName.find()).isTrue();

    List<String> file = List.of(sections.get("files").strip().split("\\s+"));

    assertThat(file).hasSize(2);
    // Relative to the repository root, where the build is run from.
    assertThat(file.get(0)).isEqualTo("runtime/target/" + finalName.group(1) + ".jar");
    assertThat(MODULE.resolve("..").resolve(file.get(0)).normalize())
        .isEqualTo(MODULE.resolve("target/" + finalName.group(1) + ".jar").normalize());
    assertThat(sections.get("runscript")).contains("-jar " + file.get(1));
  }

  @Test
  void runscriptRunsTheRuntimeWithAllArguments() {
    String runscript = sections.get("runscript").strip();

    assertThat(runscript).contains("exec java").endsWith("\"$@\"");
    for (String flag : LocalSlurm.JAVA_FLAGS) {
      assertThat(runscript).contains(flag);
    }
  }

  @Test
  void theClassDataArchiveTheRunscriptUsesIsMadeAtBuildTime() {
    Matcher archive =
        Pattern.compile("-XX:SharedArchiveFile=(\\S+)").matcher(sections.get("runscript"));
    assertThat(archive.find()).isTrue();

    assertThat(sections.get("post")).contains("-XX:ArchiveClassesAtExit=" + archive.group(1));
  }

  @Test
  void installsPythonWithDaskBokehAndAJre() {
    String post = sections.get("post");

    assertThat(post)
        .contains("distributed=")
        .contains("dask-core=")
        .contains("bokeh=")
        .contains("python=");
    assertThat(post).contains("openjdk-17-jre-headless");
    assertThat(sections.get("environment")).contains("/opt/conda/envs/dask/bin");
    assertThat(sections.get("test")).contains("import dask, distributed, bokeh");
  }
}
