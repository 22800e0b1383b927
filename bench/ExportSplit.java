/*
 * Writes the exact train / validation documents of a yuefu run as token ids, one document per line (G … E
 * included), plus the vocabulary, so bench/torch_train.py can train PyTorch on the same data and split.
 *
 *   source bin/jdk.sh
 *   $JAVA_HOME/bin/java --add-modules jdk.incubator.vector -cp target/yuefu.jar bench/ExportSplit.java RUN_DIR OUT_DIR
 *
 * OUT_DIR gets train.ids, val.ids, vocab.json.
 */
import io.github.yuefu.checkpoint.ModelFile;
import io.github.yuefu.data.EncodedCorpus;
import io.github.yuefu.data.Split;
import io.github.yuefu.data.Subset;
import io.github.yuefu.text.Corpus;
import io.github.yuefu.text.LoadedCorpus;
import io.github.yuefu.train.CorpusJson;
import io.github.yuefu.train.RunDirectory;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;

public class ExportSplit {
    public static void main(String[] args) throws Exception {
        Path run = Path.of(args[0]), out = Path.of(args[1]);
        Files.createDirectories(out);
        ModelFile.LoadedModel lm = ModelFile.load(run);
        LoadedCorpus loaded = Corpus.load(RunDirectory.readCorpus(run));
        EncodedCorpus enc = EncodedCorpus.encode(loaded.documents(), lm.vocabulary(), loaded.tokenizer());
        Split split = Split.recreate(enc, CorpusJson.splitSpec(lm.json(ModelFile.META_SPLIT)));
        write(split.train(), out.resolve("train.ids"));
        write(split.validation(), out.resolve("val.ids"));
        Files.writeString(out.resolve("vocab.json"), lm.metadata().get(ModelFile.META_VOCAB));
        System.out.println("train " + split.train().size() + " docs, val " + split.validation().size() + " docs, vocab " + lm.vocabulary().size());
    }

    static void write(Subset s, Path file) throws Exception {
        int[] t = s.corpus().tokens();
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            for (int i = 0; i < s.size(); i++) {
                StringBuilder sb = new StringBuilder();
                for (int j = s.start(i), e = j + s.length(i); j < e; j++) sb.append(j == s.start(i) ? "" : " ").append(t[j]);
                w.write(sb.append('\n').toString());
            }
        }
    }
}
