package io.tessera.local.containers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerIgnoreTest {

    @TempDir
    Path dir;

    private DockerIgnore rules(String... lines) throws IOException {
        Path file = dir.resolve(".dockerignore");
        Files.write(file, List.of(lines));
        return DockerIgnore.of(file);
    }

    @Test
    void doubleStarSpansAnyNumberOfFoldersNoneIncluded() throws IOException {
        DockerIgnore ignore = rules("**/target/");
        assertThat(ignore.excludes("target")).isTrue();
        assertThat(ignore.excludes("command-side/target/classes/A.class")).isTrue();
        assertThat(ignore.excludes("command-side/src/main/java/target.txt")).isFalse();
    }

    @Test
    void aPatternWithoutDoubleStarMatchesFromTheContextRootOnly() throws IOException {
        DockerIgnore ignore = rules(".git", "*.log");
        assertThat(ignore.excludes(".git/HEAD")).isTrue();
        assertThat(ignore.excludes("docs/.git")).isFalse();
        assertThat(ignore.excludes("build.log")).isTrue();
        assertThat(ignore.excludes("local/build.log")).isFalse();
    }

    @Test
    void theLastMatchingRuleWinsSoAnExceptionBringsAPathBack() throws IOException {
        DockerIgnore ignore = rules("# comment", "docs", "!docs/api");
        assertThat(ignore.excludes("docs/adr/0001.md")).isTrue();
        assertThat(ignore.excludes("docs/api/command-side.json")).isFalse();
        assertThat(ignore.hasExceptions()).isTrue();
    }

    @Test
    void theRepositoryKeepsBuildOutputAndLocalDataOutOfTheImageBuild() throws IOException {
        DockerIgnore ignore =
                DockerIgnore.of(Path.of("").toAbsolutePath().getParent().resolve(".dockerignore"));
        assertThat(ignore.excludes(".git")).isTrue();
        assertThat(ignore.excludes("command-side/target/tessera-command-side.jar"))
                .isTrue();
        assertThat(ignore.excludes(".tessera/postgres/PG_VERSION")).isTrue();
        assertThat(ignore.excludes("pom.xml")).isFalse();
        assertThat(ignore.excludes("benchmarks/pom.xml")).isFalse();
        assertThat(ignore.excludes("mvnw")).isFalse();
        assertThat(ignore.excludes(".mvn/wrapper/maven-wrapper.properties")).isFalse();
    }
}
