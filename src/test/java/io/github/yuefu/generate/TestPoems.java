package io.github.yuefu.generate;

import java.util.List;

/** A few well-known Tang quatrains and regulated poems: enough characters of every tone and many rhyme groups. */
public final class TestPoems {
    private TestPoems() {}

    public static final List<String> ALL = List.of(
            "床前明月光，疑是地上霜。举头望明月，低头思故乡。",
            "白日依山尽，黄河入海流。欲穷千里目，更上一层楼。",
            "春眠不觉晓，处处闻啼鸟。夜来风雨声，花落知多少。",
            "千山鸟飞绝，万径人踪灭。孤舟蓑笠翁，独钓寒江雪。",
            "红豆生南国，春来发几枝。愿君多采撷，此物最相思。",
            "朝辞白帝彩云间，千里江陵一日还。两岸猿声啼不住，轻舟已过万重山。",
            "故人西辞黄鹤楼，烟花三月下扬州。孤帆远影碧空尽，唯见长江天际流。",
            "国破山河在，城春草木深。感时花溅泪，恨别鸟惊心。烽火连三月，家书抵万金。白头搔更短，浑欲不胜簪。",
            "空山新雨后，天气晚来秋。明月松间照，清泉石上流。竹喧归浣女，莲动下渔舟。随意春芳歇，王孙自可留。",
            "夏日长亭外，秋风落叶时。冬雪覆寒梅，春归燕子迟。");
}
