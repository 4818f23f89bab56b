package io.tessera.local;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The options of one subcommand: {@code --name value}, {@code --name=value} and bare {@code --flag}s. */
final class Arguments {

    private final Map<String, String> values;
    private final Set<String> flags;

    private Arguments(Map<String, String> values, Set<String> flags) {
        this.values = values;
        this.flags = flags;
    }

    static Arguments parse(String command, List<String> args, Set<String> valueOptions, Set<String> flagOptions) {
        Map<String, String> values = new HashMap<>();
        Set<String> flags = new HashSet<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                throw new UsageException("'" + command + "' takes no argument '" + arg + "'");
            }
            int equals = arg.indexOf('=');
            String name = equals < 0 ? arg.substring(2) : arg.substring(2, equals);
            if (flagOptions.contains(name) && equals < 0) {
                flags.add(name);
            } else if (valueOptions.contains(name)) {
                String value;
                if (equals >= 0) {
                    value = arg.substring(equals + 1);
                } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                    value = args.get(++i);
                } else {
                    throw new UsageException("--" + name + " needs a value");
                }
                if (values.putIfAbsent(name, value) != null) {
                    throw new UsageException("--" + name + " is given twice");
                }
            } else {
                throw new UsageException("'" + command + "' has no option --" + name);
            }
        }
        return new Arguments(values, flags);
    }

    Optional<String> value(String name) {
        return Optional.ofNullable(values.get(name)).map(String::trim).filter(v -> !v.isEmpty());
    }

    String required(String name) {
        return value(name).orElseThrow(() -> new UsageException("--" + name + " is required"));
    }

    boolean flag(String name) {
        return flags.contains(name);
    }
}
