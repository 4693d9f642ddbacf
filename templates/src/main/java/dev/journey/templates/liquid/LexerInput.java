package dev.journey.templates.liquid;

import java.util.Arrays;
import java.util.regex.Pattern;

import liqp.antlr.FilterCharStream;
import liqp.org.antlr.v4.runtime.CharStream;
import liqp.org.antlr.v4.runtime.CharStreams;
import liqp.org.antlr.v4.runtime.misc.Interval;

/**
 * What liqp's lexer reads, which may differ from the text its tokens carry. Two rules make liqp's
 * fixed grammar accept Liquid it does not know, without moving a single column: a name character
 * of another script reads as an ASCII letter ({@link UnicodeNames}), and the {@code ..} of a range
 * literal outside {@code for} reads as an operator the grammar accepts there ({@link RangeLiterals}).
 * Every token's text is taken from the source as written, so lookups, error messages and line and
 * column stay true. Every parse of template text goes through {@link #of}.
 */
public final class LexerInput {
    /**
     * liqp's lexer reads a chain such as {@code a.b.c} as one token and splits it by counting the
     * UTF-8 bytes of its text; for a chain it has just read it must be given the ASCII it saw.
     */
    private static final Pattern ID_CHAIN = Pattern.compile("[a-zA-Z_][a-zA-Z_0-9]*(?:\\.[a-zA-Z_0-9]+)+");

    private LexerInput() {}

    /** The stream liqp should parse {@code source} from. */
    public static CharStream of(String source) {
        return of(source, null);
    }

    /** The stream liqp should parse {@code source} from, named (a partial's name) or not. */
    public static CharStream of(String source, String sourceName) {
        int[] written = source.codePoints().toArray();
        int[] read = written.clone();
        UnicodeNames.standIn(written, read);
        RangeLiterals.readDotsAsOperator(written, read);
        if (Arrays.equals(written, read)) {
            return sourceName == null ? CharStreams.fromString(source) : CharStreams.fromString(source, sourceName);
        }
        String seen = new String(read, 0, read.length);
        return new AsWritten(sourceName == null ? CharStreams.fromString(seen) : CharStreams.fromString(seen, sourceName), written);
    }

    /** Reads one text, gives the written text. */
    private static final class AsWritten extends FilterCharStream {
        private final int[] written;

        AsWritten(CharStream read, int[] written) {
            super(read);
            this.written = written;
        }

        @Override
        public String getText(Interval interval) {
            if (lexerSplitsIdChain(interval)) {
                return in.getText(interval);
            }
            int start = Math.min(interval.a, written.length);
            int length = Math.min(interval.b - interval.a + 1, written.length - start);
            return length <= 0 ? "" : new String(written, start, length);
        }

        /** The lexer asks for the text it has just read (it stands right after it), and that text is an id chain. */
        private boolean lexerSplitsIdChain(Interval interval) {
            if (interval.b != in.index() - 1) {
                return false;
            }
            String read = in.getText(interval);
            return read.indexOf('.') > 0 && ID_CHAIN.matcher(read).matches();
        }
    }
}
