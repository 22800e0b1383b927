package io.github.yuefu.plot;

import java.awt.Font;
import java.awt.GraphicsEnvironment;
import java.util.List;

/**
 * Picks a font that can draw Chinese. Java's logical fonts draw CJK only when the JDK finds a fallback font, which
 * a headless server often lacks; so we look for a known CJK family (Debian's fonts-wqy-microhei, Noto CJK…) and
 * otherwise report none, in which case charts use Latin-only labels instead of boxes.
 */
public final class ChartFonts {
    private static final List<String> CJK = List.of("WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Noto Sans CJK SC",
            "Noto Sans SC", "Source Han Sans SC", "AR PL UMing CN", "Droid Sans Fallback");
    private static volatile Font cached;
    private static volatile boolean searched;

    private ChartFonts() {}

    /** A plain font of the given size that can display 乐府训练, or null when none is installed. */
    public static Font cjk(int size) {
        if (!searched) {
            synchronized (ChartFonts.class) {
                if (!searched) {
                    cached = find();
                    searched = true;
                }
            }
        }
        return cached == null ? null : cached.deriveFont(Font.PLAIN, size);
    }

    private static Font find() {
        System.setProperty("java.awt.headless", System.getProperty("java.awt.headless", "true"));
        try {
            List<String> have = List.of(GraphicsEnvironment.getLocalGraphicsEnvironment().getAvailableFontFamilyNames());
            for (String name : CJK) {
                if (have.contains(name)) {
                    Font f = new Font(name, Font.PLAIN, 12);
                    if (f.canDisplayUpTo("乐府训练曲线困惑度") == -1) return f;
                }
            }
        } catch (RuntimeException | Error e) {
            // no font configuration at all: Latin labels
        }
        return null;
    }
}
