package dev.journey.templates.liquid.filter;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import dev.journey.templates.liquid.RenderBudget;
import liqp.TemplateContext;
import liqp.filters.Filter;

/**
 * Base of this module's filters: checks the number of positional arguments the way Shopify
 * Liquid does ("wrong number of arguments"), separates keyword arguments ({@code allow_false:
 * true} arrives from liqp as a one-entry map), and offers Liquid's coercions.
 */
public abstract class LiquidFilter extends Filter {
    private static final Pattern INTEGER = Pattern.compile("-?\\d+");
    private static final Pattern DECIMAL = Pattern.compile("-?\\d+\\.\\d+");
    private static final Pattern LEADING_INTEGER = Pattern.compile("^-?\\d{1,18}");

    private final int minArgs;
    private final int maxArgs;

    protected LiquidFilter(String name, int minArgs, int maxArgs) {
        super(name);
        this.minArgs = minArgs;
        this.maxArgs = maxArgs;
    }

    @Override
    public final Object apply(Object value, TemplateContext context, Object... params) {
        RenderBudget.check();
        Object[] args = params == null ? new Object[0] : params;
        checkArity(args.length);
        Object result = filter(value, context, args);
        // an assign or capture never reaches liqp's output limit, so text grown by filters is bounded here
        if (result instanceof CharSequence text && context != null && context.getParser() != null
                && text.length() > context.getParser().getLimitMaxSizeRenderedString()
                && context.getParser().getLimitMaxSizeRenderedString() > 0) {
            throw new FilterException(name + ": the text grew beyond " + context.getParser().getLimitMaxSizeRenderedString()
                    + " characters, the most a template may produce");
        }
        return result;
    }

    /** The filter itself, called with the number of arguments already checked. */
    protected abstract Object filter(Object input, TemplateContext context, Object[] args);

    protected void checkArity(int given) {
        if (given < minArgs || given > maxArgs) {
            throw new FilterException(name + ": wrong number of arguments (given " + given + ", expected "
                    + (minArgs == maxArgs ? String.valueOf(minArgs) : minArgs + ".." + maxArgs) + ")");
        }
    }

    protected static Object arg(Object[] args, int index) {
        return index < args.length ? args[index] : null;
    }

    /** Liquid's {@code to_s}: nil is empty, numbers as Ruby prints them, arrays joined. */
    protected String str(Object value, TemplateContext context) {
        if (value == null) {
            return "";
        }
        if (value instanceof Object[] array) {
            return str(Arrays.asList(array), context);
        }
        if (value instanceof Collection<?> items) {
            StringBuilder s = new StringBuilder();
            items.forEach(item -> s.append(str(item, context)));
            return s.toString();
        }
        return asString(value, context);
    }

    /** Ruby truthiness: only nil and false are false. */
    protected static boolean truthy(Object value) {
        return value != null && !Boolean.FALSE.equals(value);
    }

    /** Liquid's {@code Utils.to_number}: numbers stay, numeric strings are parsed, anything else is 0. */
    protected static Number number(Object value) {
        if (value instanceof Number n) {
            return n;
        }
        if (value instanceof String s) {
            String t = s.strip();
            if (INTEGER.matcher(t).matches()) {
                return new BigInteger(t).bitLength() < 64 ? (Number) Long.parseLong(t) : new BigDecimal(t);
            }
            if (DECIMAL.matcher(t).matches()) {
                return Double.parseDouble(t);
            }
            // otherwise Ruby's to_i: the leading whole number, "3.5abc" -> 3
            java.util.regex.Matcher m = LEADING_INTEGER.matcher(t);
            if (m.find()) {
                return Long.parseLong(m.group());
            }
        }
        return 0L;
    }

    protected static boolean isIntegral(Number n) {
        return n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte || n instanceof BigInteger;
    }

    /** A whole result as Long, a fractional one as Double (Ruby Integer and Float). */
    protected static Number normalize(Number n) {
        if (isIntegral(n)) {
            return n.longValue();
        }
        if (n instanceof BigDecimal d) {
            return d.doubleValue();
        }
        return n.doubleValue();
    }

    /** Liquid's {@code InputIterator}: arrays flattened, a hash is one item, nil is nothing, anything else one item. */
    protected static List<Object> items(Object input) {
        List<Object> out = new ArrayList<>();
        if (input == null) {
            return out;
        }
        if (input instanceof Object[] || input instanceof Collection<?>) {
            flatten(input, out);
        } else {
            out.add(input);
        }
        return out;
    }

    private static void flatten(Object value, List<Object> out) {
        if (value instanceof Object[] array) {
            for (Object item : array) {
                flatten(item, out);
            }
        } else if (value instanceof Collection<?> items) {
            for (Object item : items) {
                flatten(item, out);
            }
        } else {
            out.add(value);
        }
    }

    /** Ruby {@code ==} between Liquid values: numbers by value, everything else by equals. */
    protected static boolean same(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString())) == 0;
        }
        return a == null ? b == null : a.equals(b);
    }

    /** The keyword arguments ({@code key: value}) among the arguments, by name. */
    protected static Map<String, Object> keywords(Object[] args) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        for (Object arg : args) {
            if (isKeywordArgument(arg)) {
                ((Map<?, ?>) arg).forEach((k, v) -> out.put(String.valueOf(k), v));
            }
        }
        return out;
    }

    /** The positional arguments, keyword arguments left out. */
    protected static List<Object> positional(Object[] args) {
        List<Object> out = new ArrayList<>();
        for (Object arg : args) {
            if (!isKeywordArgument(arg)) {
                out.add(arg);
            }
        }
        return out;
    }

    protected static boolean isKeywordArgument(Object value) {
        return value instanceof Map<?, ?> map && map.size() == 1;
    }
}
