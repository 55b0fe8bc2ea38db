package parlab.capstone.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import parlab.capstone.CapstoneException;
import parlab.capstone.ExitCode;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.toml.TomlMapper;

/**
 * A TOML config file ({@code --config capstone.toml}) as the default values of the command line's options: every
 * long option {@code --foo-bar} of the command is the key {@code foo-bar}, so an option added to the command is a
 * config key at once, with nothing to register. Options given on the command line win over the file.
 *
 * <p>The file is checked whole before the run starts: a key that names no option, or a value of the wrong TOML type
 * for its option (a string where a number goes), or a value the option's converter refuses, is one line that names
 * the key and the file ({@link ExitCode#BAD_CONFIG}); a missing file is {@link ExitCode#CONFIG_MISSING}. Types: a
 * {@code boolean} option takes {@code true}/{@code false}; a number option an integer; an option with its own
 * converter (byte sizes such as {@code "32m"}) an integer or a string; every other option a string. A flag that
 * can be negated ({@code --[no-]bar}) is the key {@code bar}. A relative path is relative to the file's folder.
 */
public final class ConfigFile implements CommandLine.IDefaultValueProvider {
    /** Options that are not settings: they steer the command line itself. */
    private static final Set<String> NOT_KEYS = Set.of("config", "help", "version");

    private final Path file;
    private final Map<String, String> values;

    private ConfigFile(Path file, Map<String, String> values) {
        this.file = file;
        this.values = values;
    }

    /** Reads and checks {@code file} against the options of {@code spec}. */
    public static ConfigFile load(Path file, CommandSpec spec) {
        if (!Files.isRegularFile(file)) {
            throw new CapstoneException(ExitCode.CONFIG_MISSING, "config file " + file + (Files.exists(file)
                    ? " is not a regular file" : " does not exist") + ": check --config, or copy the commented sample"
                    + " capstone/capstone.toml.example");
        }
        JsonNode root;
        try {
            root = new TomlMapper().readTree(Files.readString(file));
        } catch (IOException e) {
            throw new CapstoneException(ExitCode.CONFIG_MISSING, "cannot read config file " + file + ": " + e);
        } catch (JacksonException e) {
            throw new CapstoneException(ExitCode.BAD_CONFIG, "config file " + file + " is not valid TOML: "
                    + e.getOriginalMessage().lines().findFirst().orElse("") + location(e));
        }
        Map<String, OptionSpec> options = keys(spec);
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : root.properties()) {
            String key = entry.getKey();
            OptionSpec option = options.get(key);
            if (option == null) {
                throw new CapstoneException(ExitCode.BAD_CONFIG, "unknown key '" + key + "' in " + file
                        + "; the keys are the long options without '--': " + String.join(", ", options.keySet()));
            }
            values.put(key, value(file, key, option, entry.getValue()));
        }
        return new ConfigFile(file, values);
    }

    /** Every option a file may set, by key: the longest name without its dashes. */
    public static Map<String, OptionSpec> keys(CommandSpec spec) {
        Map<String, OptionSpec> keys = new TreeMap<>();
        for (OptionSpec option : spec.options()) {
            String key = option.longestName().replaceFirst("^-+", "");
            if (!NOT_KEYS.contains(key) && !option.usageHelp() && !option.versionHelp()) {
                keys.put(key, option);
            }
        }
        return keys;
    }

    private static String value(Path file, String key, OptionSpec option, JsonNode node) {
        Class<?> type = option.type();
        boolean custom = option.converters() != null && option.converters().length > 0;
        String text;
        String expected;
        if (type == boolean.class || type == Boolean.class) {
            expected = "true or false";
            text = node.isBoolean() ? String.valueOf(node.booleanValue()) : null;
        } else if (custom) {
            expected = "a number or a string";
            text = node.isIntegralNumber() || node.isString() ? node.asString() : null;
        } else if (type == int.class || type == Integer.class) {
            expected = "an integer";
            text = node.isIntegralNumber() && node.canConvertToInt() ? node.asString() : null;
        } else if (type == long.class || type == Long.class) {
            expected = "an integer";
            text = node.isIntegralNumber() && node.canConvertToLong() ? node.asString() : null;
        } else if (type == double.class || type == Double.class) {
            expected = "a number";
            text = node.isNumber() ? node.asString() : null;
        } else {
            expected = "a string";
            text = node.isString() ? node.asString() : null;
            if (text != null && type == Path.class) {
                text = file.toAbsolutePath().resolveSibling(text).toString(); // relative to the file's folder
            }
        }
        if (text == null) {
            throw new CapstoneException(ExitCode.BAD_CONFIG, "key '" + key + "' in " + file + " must be " + expected
                    + ", not " + node);
        }
        if (custom) {
            try {
                option.converters()[0].convert(text);
            } catch (Exception e) {
                throw new CapstoneException(ExitCode.BAD_CONFIG, "key '" + key + "' in " + file + ": "
                        + e.getMessage());
            }
        }
        return text;
    }

    private static String location(JacksonException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
    }

    /** The argument that names the file on the command line, if any: {@code --config FILE} or {@code --config=FILE}. */
    public static Path named(List<String> args) {
        Path named = null;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                break;
            }
            if (arg.equals("--config") && i + 1 < args.size()) {
                named = Path.of(args.get(++i));
            } else if (arg.startsWith("--config=")) {
                named = Path.of(arg.substring("--config=".length()));
            }
        }
        return named;
    }

    public Path file() {
        return file;
    }

    /** The keys the file sets, with their values as the command line would spell them. */
    public Map<String, String> values() {
        return Map.copyOf(values);
    }

    /**
     * The file's value of an option that is not a flag. Flags are set by {@link #applyFlags} instead: picocli
     * toggles a negatable flag whose default is {@code true}, so {@code --bar} would switch off a {@code bar = true}.
     */
    @Override
    public String defaultValue(ArgSpec argSpec) {
        if (argSpec instanceof OptionSpec option && !flag(option)) {
            return values.get(option.longestName().replaceFirst("^-+", ""));
        }
        return null;
    }

    /** Sets the flags the file names and the command line does not: call it between parsing and running. */
    public void applyFlags(CommandLine.ParseResult parsed) {
        for (OptionSpec option : parsed.commandSpec().options()) {
            String value = values.get(option.longestName().replaceFirst("^-+", ""));
            if (value != null && flag(option) && !parsed.hasMatchedOption(option)) {
                option.setValue(Boolean.parseBoolean(value));
            }
        }
    }

    private static boolean flag(OptionSpec option) {
        return option.type() == boolean.class || option.type() == Boolean.class;
    }
}
