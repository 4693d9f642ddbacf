package dev.journey.templates.liquid.filter;

import java.text.BreakIterator;

/**
 * User-perceived characters (grapheme clusters): what a marketer counts when a push title may
 * have 40 "letters". java.text.BreakIterator keeps Hangul syllables and combining marks whole;
 * on JDK 17 it still splits emoji sequences, so three rules are added on top: no break before a
 * skin-tone modifier, variation selector, tag character or zero-width joiner, none after a
 * zero-width joiner, and regional indicators (flags) pair up.
 */
final class Graphemes {
    /** Creating a character BreakIterator costs more than rendering a push; one per thread is reused. */
    private static final ThreadLocal<BreakIterator> ITERATOR = ThreadLocal.withInitial(BreakIterator::getCharacterInstance);

    private Graphemes() {}

    /** True when every char is a grapheme of its own (no surrogates, combining marks, joiners, Hangul jamo): plain indexing is exact. */
    static boolean simple(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x0300 && !(c >= 0xAC00 && c <= 0xD7A3)) {
                return false;
            }
        }
        return true;
    }

    /** The index where the first {@code count} graphemes of {@code text} end ({@code text.length()} when fewer). */
    static int end(String text, long count) {
        if (count <= 0) {
            return 0;
        }
        if (simple(text)) {
            return (int) Math.min(text.length(), count);
        }
        BreakIterator it = ITERATOR.get();
        it.setText(text);
        long seen = 0;
        int boundary = it.first();
        while (true) {
            int next = nextBoundary(it, text, boundary);
            if (next == BreakIterator.DONE) {
                return text.length();
            }
            boundary = next;
            if (++seen == count) {
                return boundary;
            }
        }
    }

    /** How many graphemes {@code text} has. */
    static long count(String text) {
        if (simple(text)) {
            return text.length();
        }
        BreakIterator it = ITERATOR.get();
        it.setText(text);
        long n = 0;
        int boundary = it.first();
        while ((boundary = nextBoundary(it, text, boundary)) != BreakIterator.DONE) {
            n++;
        }
        return n;
    }

    private static int nextBoundary(BreakIterator it, String text, int from) {
        int next = it.following(from);
        while (next != BreakIterator.DONE && next < text.length() && joined(text, next)) {
            next = it.following(next);
        }
        return next;
    }

    private static boolean joined(String text, int at) {
        int before = text.codePointBefore(at);
        int after = text.codePointAt(at);
        if (before == 0x200D || after == 0x200D || after == 0xFE0E || after == 0xFE0F
                || (after >= 0x1F3FB && after <= 0x1F3FF) || (after >= 0xE0020 && after <= 0xE007F)) {
            return true;
        }
        if (regional(before) && regional(after)) {
            int run = 0;
            for (int i = at; i > 0 && regional(text.codePointBefore(i)); i -= Character.charCount(text.codePointBefore(i))) {
                run++;
            }
            return run % 2 == 1;
        }
        return false;
    }

    private static boolean regional(int codePoint) {
        return codePoint >= 0x1F1E6 && codePoint <= 0x1F1FF;
    }
}
