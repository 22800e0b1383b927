package io.github.yuefu.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.yuefu.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code yuefu add} through the CLI: train, report, save, and ask the saved adder. */
class AddTaskTest {
    @TempDir
    Path tmp;

    private record Run(int code, String out, String err) {}

    private static Run cli(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return new Run(cl.execute(args), out.toString(), err.toString());
    }

    @Test
    void trainsSavesAndTheSavedAdderGivesTheSameAnswers() throws Exception {
        Path model = tmp.resolve("add.safetensors"), report = tmp.resolve("add.md");
        Run r = cli("add", "--cells", "gru", "--digits", "2", "--hidden", "24", "--embed", "6", "--steps", "400",
                "--lr", "0.02", "--test-pairs", "500", "--generalize", "1", "--save", model.toString(), "--plot", tmp.resolve("curve.png").toString(), "--report",
                report.toString(), "--eval", "47+85");
        assertEquals(0, r.code(), r.err());
        String md = Files.readString(report);
        assertTrue(md.contains("| gru |") && md.contains("exact, 3 digits") && md.contains("final carry"), md);
        assertTrue(Files.size(tmp.resolve("curve.png")) > 1000);
        String trained = r.out().lines().filter(l -> l.startsWith("gru: 47+85 = ")).findFirst().orElseThrow();
        Run asked = cli("add", "--model", model.toString(), "--eval", "47+85");
        assertEquals(0, asked.code(), asked.err());
        assertEquals(trained.substring("gru: 47+85 = ".length()), asked.out().strip());
        // Longer numbers than it was trained on are accepted too (the curve's question, one sum at a time).
        assertEquals(0, cli("add", "--model", model.toString(), "--eval", "12345+678").code());
    }

    @Test
    void badRequestsAreUsageErrors() {
        assertEquals(2, cli("add", "--eval", "1+2+3", "--steps", "1").code());
        assertEquals(2, cli("add", "--cells", "rnn,gru", "--save", tmp.resolve("x").toString(), "--steps", "1").code());
        assertEquals(2, cli("add", "--model", tmp.resolve("missing.safetensors").toString(), "--eval", "1+2").code());
        assertEquals(2, cli("add", "--model", tmp.resolve("missing.safetensors").toString()).code());
        assertEquals(2, cli("add", "--cells", "tcn").code());
    }
}
