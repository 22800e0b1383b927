package io.github.yuefu.cli;

import io.github.yuefu.config.ConfigException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code yuefu} command: a picocli root with one class per subcommand. Errors a user can fix
 * ({@link ConfigException}, bad options) print one line and exit 2; nothing prints a stack trace unless
 * {@code YUEFU_DEBUG=1} is set.
 */
@Command(name = "yuefu", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Train recurrent language models (RNN, LSTM, GRU) on poems and text, and write with them.",
        subcommands = {
                CommandLine.HelpCommand.class,
                CheckReferenceCommand.class,
                CorpusCommand.class,
                TrainCommand.class,
                EvalCommand.class,
                InspectCommand.class,
                PlotCommand.class,
                WriteCommand.class,
                AddCommand.class,
                ServeCommand.class,
                CompareCommand.class,
                SweepCommand.class,
                BenchCommand.class,
        })
public final class Main implements Runnable {

    /** Exit codes: 0 ok, 1 internal failure, 2 bad input or usage (fix the command or the file). */
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns the exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        CommandLine cl = commandLine();
        return cl.execute(args);
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(Main::handleException);
        cl.setParameterExceptionHandler((ex, a) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("yuefu: " + ex.getMessage());
            err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return EXIT_USAGE;
        });
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        return cl;
    }

    private static int handleException(Exception ex, CommandLine cl, CommandLine.ParseResult pr) {
        PrintWriter err = cl.getErr();
        if (System.getenv("YUEFU_DEBUG") != null) ex.printStackTrace(err);
        if (ex instanceof ConfigException || ex instanceof CommandLine.ParameterException) {
            err.println("yuefu: " + ex.getMessage());
            return EXIT_USAGE;
        }
        if (ex instanceof java.io.IOException io) {
            err.println("yuefu: I/O error: " + io.getMessage());
            return EXIT_USAGE;
        }
        err.println("yuefu: internal error: " + ex + " (set YUEFU_DEBUG=1 for the stack trace and please report it)");
        return EXIT_FAILURE;
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"yuefu " + (v == null ? "dev" : v) + " (Java " + Runtime.version() + ")"};
        }
    }
}
