package io.github.yuefu.cli;

import io.github.yuefu.config.CellType;
import io.github.yuefu.config.ConfigException;
import io.github.yuefu.experiments.AddConfig;
import io.github.yuefu.experiments.AddTask;
import io.github.yuefu.experiments.DigitOrder;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code yuefu add}: learning to carry — train adders per cell type and compare them, or ask a saved one a sum. */
@Command(name = "add", mixinStandardHelpOptions = true,
        header = "Learning to carry: an RNN/LSTM/GRU adds integers digit by digit.",
        description = {"Learning to carry: an RNN/LSTM/GRU adds two non-negative integers digit by",
                "digit. Trains one adder per cell on random sums of up to --digits digits and",
                "reports held-out exact match, per-place digit and carry accuracy, and a",
                "length-generalisation curve on longer numbers. With --model and --eval it",
                "asks a saved adder instead: yuefu add --model add.safetensors --eval 12345+678"})
public final class AddCommand implements Callable<Integer> {

    @Option(names = "--cells", split = ",", defaultValue = "lstm", showDefaultValue = Visibility.ALWAYS,
            description = "Cell types to train and compare: any of rnn, lstm, gru.")
    List<String> cells = new ArrayList<>();

    @Option(names = "--digits", defaultValue = "5", showDefaultValue = Visibility.ALWAYS,
            description = "Train on operands of 1..N digits.")
    int digits;

    @Option(names = "--order", defaultValue = "lsb", showDefaultValue = Visibility.ALWAYS,
            description = "Reading order: lsb (least significant digit first) or msb (right-aligned, as written).")
    String order;

    @Option(names = "--embed", defaultValue = "16", showDefaultValue = Visibility.ALWAYS, description = "Digit embedding width E.")
    int embed;

    @Option(names = "--hidden", defaultValue = "64", showDefaultValue = Visibility.ALWAYS, description = "Recurrent width H.")
    int hidden;

    @Option(names = "--batch", defaultValue = "64", showDefaultValue = Visibility.ALWAYS, description = "Sums per step.")
    int batch;

    @Option(names = "--steps", defaultValue = "1500", showDefaultValue = Visibility.ALWAYS, description = "Adam steps per cell.")
    int steps;

    @Option(names = "--lr", defaultValue = "0.01", showDefaultValue = Visibility.ALWAYS,
            description = "Peak learning rate (cosine decay to lr/20).")
    double lr;

    @Option(names = "--clip", defaultValue = "5", showDefaultValue = Visibility.ALWAYS,
            description = "Global gradient-norm clip (0 = off).")
    double clip;

    @Option(names = "--target", defaultValue = "0", showDefaultValue = Visibility.ALWAYS,
            description = "Stop a cell early once its held-out check exact match reaches this share (0 = off), e.g. 0.999.")
    double target;

    @Option(names = "--test-pairs", defaultValue = "10000", showDefaultValue = Visibility.ALWAYS,
            description = "Held-out pairs per reported figure.")
    int testPairs;

    @Option(names = "--generalize", defaultValue = "5", showDefaultValue = Visibility.ALWAYS,
            description = "Length-generalisation curve on N+1..N+K digits.")
    int generalize;

    @Option(names = "--seed", defaultValue = "1", showDefaultValue = Visibility.ALWAYS, description = "Seed of weights and data.")
    long seed;

    @Option(names = "--report", description = "Also write the Markdown tables to this file (atomically).")
    Path report;

    @Option(names = "--plot", description = "Draw the length-generalisation curves (exact match vs digits, per cell) to this PNG.")
    Path plot;

    @Option(names = "--save", description = "Save the trained adder here (safetensors; one cell only).")
    Path save;

    @Option(names = "--model", description = "A saved adder to ask (with --eval).")
    Path model;

    @Option(names = "--eval", description = "A sum to ask the adder, e.g. \"12345+678\" (needs --model, or trains first).")
    String eval;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        DigitOrder o = DigitOrder.parse(order);
        if (model != null) {
            if (eval == null) throw new ConfigException("--model needs --eval \"A+B\": the sum to ask the saved adder");
            out.println(AddTask.answer(model, eval));
            return Main.EXIT_OK;
        }
        List<CellType> cellTypes = new ArrayList<>();
        for (String c : cells) cellTypes.add(CellType.parse(c));
        AddConfig base = new AddConfig(cellTypes.getFirst(), digits, o, embed, hidden, batch, steps, lr, clip, target,
                testPairs, generalize, seed);
        AddTask.run(new AddTask.Request(cellTypes, base, report, save, eval, plot), out);
        return Main.EXIT_OK;
    }
}
