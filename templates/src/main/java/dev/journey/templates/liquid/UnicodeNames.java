package dev.journey.templates.liquid;

import java.util.regex.Pattern;

import liqp.antlr.FilterCharStream;
import liqp.org.antlr.v4.runtime.CharStream;
import liqp.org.antlr.v4.runtime.CharStreams;
import liqp.org.antlr.v4.runtime.misc.Interval;

/**
 * Property names in any script ({@code entry_event.data.이름}, {@code user.имя}, {@code data.café}).
 *
 * <p>liqp's lexer only knows ASCII names ({@code [a-zA-Z0-9_-]}): any other character inside
 * {@code {{ }}} or {@code {% %}} is a lexer error. Rather than rewrite the source (which would
 * move every column after the name), liqp is given a character stream in which each name
 * character of another script <em>reads</em> as {@link #STAND_IN} — so the lexer makes the same
 * tokens, at the same positions, that an ASCII name would give — while the <em>text</em> of every
 * token is taken from the source as written. Lookups, assignments, loop variables, warnings and
 * error messages therefore see {@code 이름}; line and column stay true.
 *
 * <p>Outside tags the stand-in changes nothing: plain text, quoted strings, {@code raw} and
 * comments accept any character, and their text is the source's.
 */
public final class UnicodeNames {
    /**
     * What the lexer reads for each name character of another script: a letter that appears in no
     * Liquid keyword or tag name ({@code and}, {@code contains}, {@code empty}, {@code for} …), so
     * a name can never read as one.
     */
    static final char STAND_IN = 'z';

    /**
     * liqp's lexer reads a chain such as {@code a.b.c} as one token and splits it by counting the
     * UTF-8 bytes of its text; for a chain it has just read it must be given the ASCII it saw.
     */
    private static final Pattern ID_CHAIN = Pattern.compile("[a-zA-Z_][a-zA-Z_0-9]*(?:\\.[a-zA-Z_0-9]+)+");

    private UnicodeNames() {}

    /**
     * Whether a character outside ASCII may be part of a name: a letter of any script (Hangul,
     * kana, kanji, Cyrillic, accented Latin …), a combining mark (Devanagari vowel signs, a
     * decomposed accent) or a decimal digit of any script. Not emoji, symbols, punctuation, spaces,
     * joiners or variation selectors.
     */
    public static boolean isNameChar(int codePoint) {
        if (codePoint < 0x80 || (codePoint >= 0xFE00 && codePoint <= 0xFE0F) || (codePoint >= 0xE0100 && codePoint <= 0xE01EF)) {
            return false;
        }
        return switch (Character.getType(codePoint)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER, Character.MODIFIER_LETTER,
                    Character.OTHER_LETTER, Character.NON_SPACING_MARK, Character.COMBINING_SPACING_MARK,
                    Character.DECIMAL_DIGIT_NUMBER -> true;
            default -> false;
        };
    }

    /** The same rule as {@link #isNameChar} for regular expressions: one name character, ASCII or not. */
    public static final String NAME_CHAR_CLASS = "[\\p{L}\\p{Mn}\\p{Mc}\\p{Nd}_&&[^\\uFE00-\\uFE0F\\x{E0100}-\\x{E01EF}]]";

    /** The stream liqp should parse {@code source} from. */
    public static CharStream stream(String source) {
        return stream(source, null);
    }

    /** The stream liqp should parse {@code source} from, named (a partial's name) or not. */
    public static CharStream stream(String source, String sourceName) {
        int[] written = source.codePoints().toArray();
        int[] read = null;
        for (int i = 0; i < written.length; i++) {
            if (isNameChar(written[i])) {
                if (read == null) {
                    read = written.clone();
                }
                read[i] = STAND_IN;
            }
        }
        if (read == null) {
            return sourceName == null ? CharStreams.fromString(source) : CharStreams.fromString(source, sourceName);
        }
        String seen = new String(read, 0, read.length);
        return new StandIns(sourceName == null ? CharStreams.fromString(seen) : CharStreams.fromString(seen, sourceName), written);
    }

    /** Reads stand-ins, gives the written text. */
    private static final class StandIns extends FilterCharStream {
        private final int[] written;

        StandIns(CharStream read, int[] written) {
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
