package io.github.yuefu.poetics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.yuefu.config.ConfigException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PoeticsTest {

    private static int cp(String s) {
        return s.codePointAt(0);
    }

    @Test
    void finalsRestoreUmlautAndApicalVowel() {
        assertEquals("v", Pinyin.of(cp("居")).fin());
        assertEquals("ve", Pinyin.of(cp("月")).fin());
        assertEquals("-i", Pinyin.of(cp("时")).fin());
        assertEquals("i", Pinyin.of(cp("一")).fin());
        assertEquals("ui", Pinyin.of(cp("微")).fin());
        assertEquals("iu", Pinyin.of(cp("游")).fin());
        assertNull(Pinyin.of(cp("。")));
        assertNull(Pinyin.of(cp("A")));
    }

    @Test
    void rhymeGroupsFollowTheTable() {
        assertEquals(RhymeGroup.YOU, RhymeGroup.of(cp("流")));
        assertEquals(RhymeGroup.YOU, RhymeGroup.of(cp("楼")));
        assertEquals(RhymeGroup.TANG, RhymeGroup.of(cp("光")));
        assertEquals(RhymeGroup.TANG, RhymeGroup.of(cp("霜")));
        assertEquals(RhymeGroup.TANG, RhymeGroup.of(cp("乡")));
        assertEquals(RhymeGroup.QI, RhymeGroup.of(cp("居")));     // ü joins 齐, not 姑
        assertEquals(RhymeGroup.GU, RhymeGroup.of(cp("湖")));
        assertEquals(RhymeGroup.ZHI, RhymeGroup.of(cp("时")));
        assertEquals(RhymeGroup.GENG, RhymeGroup.of(cp("东")));   // ong joins 庚 in the fourteen rhymes
        assertEquals(RhymeGroup.WEN, RhymeGroup.of(cp("云")));
        assertNull(RhymeGroup.of(cp("，")));
    }

    @Test
    void tonesAreTheModernApproximation() {
        assertEquals(Tone.LEVEL, Tone.of(cp("山")));
        assertEquals(Tone.LEVEL, Tone.of(cp("河")));
        assertEquals(Tone.OBLIQUE, Tone.of(cp("海")));
        assertEquals(Tone.OBLIQUE, Tone.of(cp("月")));
        assertEquals(Tone.LEVEL, Tone.of(cp("白")));  // an entering tone, oblique in Tang: the known limit
        assertEquals(Tone.UNKNOWN, Tone.of(cp("，")));
    }

    @Test
    void standardPatterns() {
        TonePattern p = TonePattern.of(Form.WUJUE, false, false);
        assertEquals(List.of("仄仄平平仄", "平平仄仄平", "平平平仄仄", "仄仄仄平平"),
                List.of(p.clause(0), p.clause(1), p.clause(2), p.clause(3)));
        TonePattern q = TonePattern.of(Form.QIJUE, true, true);   // 七绝平起首句入韵
        assertEquals("平平仄仄仄平平", q.clause(0));
        assertEquals("仄仄平平仄仄平", q.clause(1));
        assertEquals("仄仄平平平仄仄", q.clause(2));
        assertEquals("平平仄仄仄平平", q.clause(3));
        TonePattern l = TonePattern.of(Form.WULV, false, true);
        assertEquals("仄仄仄平平", l.clause(0));
        assertEquals("仄仄平平仄", l.clause(4));   // second quatrain is the non-rhyming one
        assertEquals(Tone.UNKNOWN, p.required(0, 0));
        assertEquals(Tone.OBLIQUE, p.required(0, 1));
        assertEquals(Tone.LEVEL, p.required(1, 4));
    }

    @Test
    void aClassicScoresFullMarks() {
        List<String> clauses = List.of("白日依山尽", "黄河入海流", "欲穷千里目", "更上一层楼");
        assertEquals(1.0, TonePattern.of(Form.WUJUE, false, false).match(clauses), 1e-9);
    }

    @Test
    void formsAndAcrosticLengths() {
        assertEquals(Form.QILV, Form.parse("七律"));
        assertEquals(Form.WUJUE, Form.parse("WuJue"));
        assertEquals(24, Form.WUJUE.textLength());
        assertEquals(Form.WUJUE, Form.forAcrostic(4, 5));
        assertEquals(Form.QILV, Form.forAcrostic(6, 7));
        assertThrows(ConfigException.class, () -> Form.forAcrostic(9, 5));
        assertThrows(ConfigException.class, () -> Form.parse("sonnet"));
    }
}
