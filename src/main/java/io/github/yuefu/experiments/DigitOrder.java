package io.github.yuefu.experiments;

import io.github.yuefu.config.ConfigException;
import java.util.Locale;

/**
 * The order in which the adder reads the two numbers' digits, one position per step.
 *
 * <ul>
 *   <li>{@link #LSB}: least significant digit first (the Learn2Carry exercise reverses its numbers this way). The
 *       carry flows forward in time with the recurrence, so a one-directional RNN can add exactly.</li>
 *   <li>{@link #MSB}: right-aligned, most significant digit first, the way the numbers are written. Each output
 *       digit then depends on carries from digits the model has not read yet, so a one-directional RNN cannot be
 *       exact: this order is the control that shows why the exercise reverses the digits.</li>
 * </ul>
 */
public enum DigitOrder {
    LSB, MSB;

    public static DigitOrder parse(String s) {
        for (DigitOrder o : values()) if (o.name().equalsIgnoreCase(s.trim())) return o;
        throw new ConfigException("unknown --order '" + s + "': use lsb (least significant digit first) or msb");
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
