package io.tessera.local.containers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replays the build stage of each side's Dockerfile, offline, on exactly the files docker build would send: a
 * copy of the repository with {@code .dockerignore} applied, laid out by the stage's {@code COPY}s, then its
 * Maven command and the check that its {@code cp} finds the jar. No container daemon is needed (none is here);
 * what this leaves unchecked is the base images and the runtime stage (README, "Container images"). Images
 * whose build stages copy the same files share one copy, so the second reuses the first's compiled modules,
 * as a warm Maven build would. {@code -Dtessera.images.skip=true} skips it.
 */
class ImageBuildStageIT {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Path WORK = Path.of("target", "image-build-stage").toAbsolutePath();
    private static final Map<List<DockerfileBuildStage.Copy>, Path> STAGED = new HashMap<>();

    @BeforeAll
    static void clean() throws IOException {
        Assumptions.assumeFalse(
                Boolean.getBoolean("tessera.images.skip"),
                "[images] skipped (-Dtessera.images.skip=true): the Dockerfiles' build stages were not replayed");
        deleteRecursively(WORK);
        Files.createDirectories(WORK);
    }

    @ParameterizedTest
    @ValueSource(strings = {"command-side/Dockerfile", "query-side/Dockerfile"})
    void buildStageBuildsOfflineOnTheFilesTheImageBuildSees(String dockerfile) throws Exception {
        DockerfileBuildStage stage = DockerfileBuildStage.of(ROOT.resolve(dockerfile));
        Path workdir = staged(stage.copies());
        assertThat(stage.commands()).as("the build stage's commands").isNotEmpty();
        for (List<String> command : stage.commands()) {
            switch (command.get(0)) {
                case "./mvnw" -> maven(dockerfile, workdir, command);
                case "cp" ->
                    assertThat(matching(workdir, command.get(1)))
                            .as("%s: the jar that `%s` copies", dockerfile, String.join(" ", command))
                            .hasSize(1);
                default -> fail("%s: a command this test does not replay: %s", dockerfile, command);
            }
        }
    }

    private static Path staged(List<DockerfileBuildStage.Copy> copies) throws IOException {
        Path existing = STAGED.get(copies);
        if (existing != null) {
            return existing;
        }
        Path workdir = WORK.resolve("context-" + STAGED.size());
        DockerIgnore ignore = DockerIgnore.of(ROOT.resolve(".dockerignore"));
        for (DockerfileBuildStage.Copy copy : copies) {
            for (String source : copy.sources()) {
                copyFromContext(ignore, ROOT.resolve(source).normalize(), workdir, copy.destination());
            }
        }
        STAGED.put(copies, workdir);
        long files;
        try (Stream<Path> all = Files.walk(workdir)) {
            files = all.filter(Files::isRegularFile).count();
        }
        System.out.printf("[images] %s: %d files of the context staged%n", workdir.getFileName(), files);
        return workdir;
    }

    /** A directory's contents, or one file, to the destination, as COPY does; ignored paths stay out. */
    private static void copyFromContext(DockerIgnore ignore, Path source, Path workdir, String destination)
            throws IOException {
        Path target = workdir.resolve(destination).normalize();
        if (!Files.isDirectory(source)) {
            if (!ignore.excludes(relative(source))) {
                Path file = destination.endsWith("/") || destination.equals(".")
                        ? target.resolve(source.getFileName())
                        : target;
                Files.createDirectories(file.getParent());
                Files.copy(source, file, StandardCopyOption.COPY_ATTRIBUTES);
            }
            return;
        }
        boolean prune = !ignore.hasExceptions();
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                if (!dir.equals(ROOT) && prune && ignore.excludes(relative(dir))) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(target.resolve(source.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                if (!ignore.excludes(relative(file))) {
                    Files.copy(
                            file,
                            target.resolve(source.relativize(file).toString()),
                            StandardCopyOption.COPY_ATTRIBUTES);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static String relative(Path path) {
        return ROOT.relativize(path).toString().replace('\\', '/');
    }

    private static void maven(String dockerfile, Path workdir, List<String> command) throws Exception {
        List<String> offline = new ArrayList<>(command);
        offline.add(1, "-o");
        Path log = WORK.resolve(dockerfile.replace('/', '-') + ".log");
        long start = System.nanoTime();
        Process process = new ProcessBuilder(offline)
                .directory(workdir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail("%s: the build stage's Maven run took over 10 minutes (log: %s)", dockerfile, log);
        }
        System.out.printf(
                "[images] %s: `%s` exited %d after %d s%n",
                dockerfile,
                String.join(" ", offline),
                process.exitValue(),
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start));
        if (process.exitValue() != 0) {
            List<String> lines = Files.readAllLines(log);
            fail(
                    "%s: the build stage fails on the files the image build sees (log: %s):%n%s",
                    dockerfile, log, String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
        }
    }

    private static List<Path> matching(Path workdir, String glob) throws IOException {
        var matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        try (Stream<Path> files = Files.walk(workdir)) {
            return files.filter(file -> matcher.matches(workdir.relativize(file)))
                    .toList();
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> all = Files.walk(path)) {
            for (Path each : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(each);
            }
        }
    }
}
