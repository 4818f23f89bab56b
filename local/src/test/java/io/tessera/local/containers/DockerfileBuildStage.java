package io.tessera.local.containers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The first stage of a Dockerfile, the one that builds: the context files it copies ({@code COPY} without
 * {@code --from}) and the commands of its {@code RUN}. Just the instructions our Dockerfiles use; anything else
 * in that stage is refused, so a Dockerfile that outgrows this reading makes the test fail rather than pass
 * unchecked.
 */
record DockerfileBuildStage(List<Copy> copies, List<List<String>> commands) {

    /** {@code COPY sources... destination}, relative to the context and to the stage's working directory. */
    record Copy(List<String> sources, String destination) {}

    static DockerfileBuildStage of(Path dockerfile) throws IOException {
        List<Copy> copies = new ArrayList<>();
        List<List<String>> commands = new ArrayList<>();
        int stages = 0;
        for (String instruction : instructions(Files.readAllLines(dockerfile))) {
            String[] words = instruction.split("\\s+");
            String keyword = words[0].toUpperCase(Locale.ROOT);
            if (keyword.equals("FROM") && ++stages > 1) {
                break;
            }
            switch (keyword) {
                case "FROM", "WORKDIR", "ENV", "ARG" -> {}
                case "COPY" -> copies.add(copy(words, instruction));
                case "RUN" -> commands.addAll(commands(words));
                default -> throw new IllegalStateException("Not read by this test: " + instruction);
            }
        }
        return new DockerfileBuildStage(List.copyOf(copies), List.copyOf(commands));
    }

    private static Copy copy(String[] words, String instruction) {
        List<String> arguments = Arrays.stream(words, 1, words.length)
                .filter(word -> !word.startsWith("--"))
                .toList();
        if (arguments.size() < 2 || Arrays.stream(words).anyMatch(word -> word.startsWith("--from"))) {
            throw new IllegalStateException("Not a copy from the context: " + instruction);
        }
        return new Copy(arguments.subList(0, arguments.size() - 1), arguments.get(arguments.size() - 1));
    }

    private static List<List<String>> commands(String[] words) {
        List<List<String>> commands = new ArrayList<>();
        List<String> current = new ArrayList<>();
        for (String word : Arrays.copyOfRange(words, 1, words.length)) {
            if (word.startsWith("--mount=") && commands.isEmpty() && current.isEmpty()) {
                continue;
            }
            if (word.contains("\"") || word.contains("'") || word.equals("|") || word.equals("||")) {
                throw new IllegalStateException("Shell syntax not read by this test: " + word);
            }
            if (word.equals("&&")) {
                commands.add(List.copyOf(current));
                current.clear();
            } else {
                current.add(word);
            }
        }
        if (!current.isEmpty()) {
            commands.add(List.copyOf(current));
        }
        return commands;
    }

    /** Lines joined where they end with a backslash, comments and parser directives left out. */
    private static List<String> instructions(List<String> lines) {
        List<String> instructions = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String line : lines) {
            String text = line.strip();
            if (text.startsWith("#") || (text.isEmpty() && pending.isEmpty())) {
                continue;
            }
            if (text.endsWith("\\")) {
                pending.append(text, 0, text.length() - 1).append(' ');
            } else {
                instructions.add(pending.append(text).toString().strip());
                pending.setLength(0);
            }
        }
        return instructions;
    }
}
