package dev.journey.templates.liquid.filter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

import liqp.TemplateContext;

/** {@code split: separator}: Ruby's split — a single space splits on runs of whitespace, trailing empties dropped. */
public final class Split extends LiquidFilter {
    public Split() {
        super("split", 1, 1);
    }

    @Override
    protected Object filter(Object input, TemplateContext context, Object[] args) {
        String text = str(input, context);
        String separator = str(args[0], context);
        if (text.isEmpty()) {
            return new ArrayList<>();
        }
        String[] parts;
        if (" ".equals(separator)) {
            String stripped = text.strip();
            parts = stripped.isEmpty() ? new String[0] : stripped.split("\\s+");
        } else if (separator.isEmpty()) {
            parts = text.split("");
        } else {
            parts = text.split(Pattern.quote(separator));
        }
        List<Object> out = new ArrayList<>(Arrays.asList(parts));
        while (!out.isEmpty() && "".equals(out.get(out.size() - 1))) {
            out.remove(out.size() - 1);
        }
        return out;
    }
}
