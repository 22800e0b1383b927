/*
 * Writes the starting point of a yuefu poem-mode run — its initial weights and its first N training batches — so
 * bench/torch_train.py can train PyTorch from exactly the same weights on exactly the same batch sequence
 * (--init, --batches). With both fixed, any remaining gap in held-out perplexity comes from the arithmetic, not
 * from the seed or the data order.
 *
 *   source bin/jdk.sh
 *   $JAVA_HOME/bin/java --add-modules jdk.incubator.vector -cp target/yuefu.jar bench/ExportStart.java RUN_DIR OUT_DIR N
 *
 * OUT_DIR gets init.safetensors (ModelFile layout, PyTorch names) and batches.txt: per batch a line "rows time",
 * then rows lines of input ids and rows lines of target ids (0 = pad), all of length time.
 */
import io.github.yuefu.checkpoint.ModelFile;
import io.github.yuefu.config.TrainConfig;
import io.github.yuefu.data.Batch;
import io.github.yuefu.model.LanguageModel;
import io.github.yuefu.train.CorpusData;
import io.github.yuefu.train.RunDirectory;
import io.github.yuefu.train.TrainData;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

public class ExportStart {
    public static void main(String[] args) throws Exception {
        Path run = Path.of(args[0]), out = Path.of(args[1]);
        int n = Integer.parseInt(args[2]);
        Files.createDirectories(out);
        TrainConfig cfg = RunDirectory.readConfig(run);
        TrainData data = CorpusData.load(RunDirectory.readCorpus(run), cfg);
        LanguageModel model = new LanguageModel(cfg.model(data.vocab().size()));
        model.initialize(cfg.seed());   // what Trainer.initialize() does
        ModelFile.save(out.resolve("init.safetensors"), model, data.vocab(), Map.of());
        try (BufferedWriter w = Files.newBufferedWriter(out.resolve("batches.txt"))) {
            for (int k = 0; k < n; k++) {
                Batch b = data.train().next();
                w.write(b.batch() + " " + b.time() + "\n");
                for (int[] ids : new int[][] {b.inputs(), b.targets()}) {
                    for (int r = 0; r < b.batch(); r++) {
                        StringBuilder sb = new StringBuilder();
                        for (int t = 0; t < b.time(); t++) sb.append(t == 0 ? "" : " ").append(ids[r * b.time() + t]);
                        w.write(sb.append('\n').toString());
                    }
                }
            }
        }
        System.out.println("wrote init.safetensors and " + n + " batches to " + out);
    }
}
