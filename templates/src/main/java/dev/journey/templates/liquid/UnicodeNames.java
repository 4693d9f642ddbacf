package dev.journey.templates.liquid;

/**
 * Property names in any script ({@code entry_event.data.이름}, {@code user.имя}, {@code data.café}).
 *
 * <p>liqp's lexer only knows ASCII names ({@code [a-zA-Z0-9_-]}): any other character inside
 * {@code {{ }}} or {@code {% %}} is a lexer error. Rather than rewrite the source (which would
 * move every column after the name), liqp is given a character stream in which each name
 * character of another script <em>reads</em> as {@link #STAND_IN} ({@link LexerInput}) — so the lexer makes the same
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

    /** Makes each name character of another script in {@code written} read as {@link #STAND_IN} in {@code read}. */
    static void standIn(int[] written, int[] read) {
        for (int i = 0; i < written.length; i++) {
            if (isNameChar(written[i])) {
                read[i] = STAND_IN;
            }
        }
    }
}
