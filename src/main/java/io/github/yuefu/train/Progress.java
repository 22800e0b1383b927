package io.github.yuefu.train;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * What a person watching sees. On a terminal: one progress line redrawn in place (epoch, step, loss, validation
 * perplexity, tokens/s, ETA). Otherwise (a log file, CI): one plain line every N steps. Every line carries step,
 * train loss, grad norm and tokens/s; messages (evaluations, samples, rollbacks) go to the screen and to
 * {@code train.log} in the run directory.
 */
public final class Progress implements Closeable {
    private final PrintStream out;
    private final boolean tty;
    private final long every;
    private final BufferedWriter log;
    private boolean barShown;

    public Progress(PrintStream out, boolean tty, long every, Path runDir) throws IOException {
        this.out = out;
        this.tty = tty;
        this.every = every;
        this.log = Files.newBufferedWriter(runDir.resolve("train.log"), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** True when stdout/stderr is an interactive terminal. */
    public static boolean isTerminal() {
        var c = System.console();
        return c != null && c.isTerminal();
    }

    /** Called after every step; prints when due. */
    public void step(long step, long totalSteps, long epoch, double loss, double gradNorm, double lr, double tokPerS,
                     double valPpl, double etaSeconds) {
        String line = String.format(Locale.ROOT, "step %d%s  epoch %d  loss %.4f  grad_norm %.3f  lr %.2e  tok/s %.0f%s",
                step, totalSteps > 0 ? "/" + totalSteps : "", epoch + 1, loss, gradNorm, lr, tokPerS,
                Double.isNaN(valPpl) ? "" : String.format(Locale.ROOT, "  val_ppl %.2f", valPpl));
        if (step % every == 0) logFile(line);
        if (tty) {
            String bar = bar(totalSteps > 0 ? (double) step / totalSteps : 0);
            out.print("\r" + bar + " " + line + (etaSeconds >= 0 ? "  ETA " + hms(etaSeconds) : "") + "\u001b[K");
            out.flush();
            barShown = true;
        } else if (step % every == 0) {
            out.println(line);
        }
    }

    /** A message on its own line (keeps the bar below it on a terminal). */
    public void message(String msg) {
        if (barShown) {
            out.print("\r\u001b[K");
            barShown = false;
        }
        out.println(msg);
        out.flush();
        logFile(msg);
    }

    private void logFile(String s) {
        try {
            log.write(s);
            log.write('\n');
            log.flush();
        } catch (IOException ignored) {
            // the log file is a convenience; metrics.jsonl is the record
        }
    }

    private static String bar(double frac) {
        int n = 20, full = (int) Math.round(Math.max(0, Math.min(1, frac)) * n);
        return "[" + "#".repeat(full) + "-".repeat(n - full) + "]";
    }

    static String hms(double s) {
        long t = Math.round(s);
        return t >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", t / 3600, t / 60 % 60, t % 60)
                : String.format(Locale.ROOT, "%d:%02d", t / 60, t % 60);
    }

    @Override
    public void close() throws IOException {
        if (barShown) out.println();
        log.close();
    }
}
