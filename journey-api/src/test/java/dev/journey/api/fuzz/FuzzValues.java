package dev.journey.api.fuzz;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.databind.util.RawValue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * jqwik arbitraries for hostile input: the corpus, random text (any UTF-16 unit, lone surrogates and NUL
 * included), numbers beyond every range, extreme times and durations, cursors naming extreme times, huge
 * strings, deep nesting and JSON values of the wrong type.
 */
final class FuzzValues {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<Long> EDGE_LONGS = List.of(0L, -1L, 1L, Long.MAX_VALUE, Long.MIN_VALUE, (long) Integer.MAX_VALUE,
            (long) Integer.MIN_VALUE, 99_999_999_999_999L, -99_999_999_999_999L, 31_556_889_864_403_199L, -31_557_014_167_219_200L,
            253_402_300_800L, 9_224_318_016_000L /* year 294277 */, -210_866_803_200L /* 4714 BC */, 100_000_000_000L,
            100_000_000_000_000L);

    private final HostileCorpus corpus;

    FuzzValues(HostileCorpus corpus) {
        this.corpus = corpus;
    }

    @SafeVarargs
    static <T> Arbitrary<T> weighted(Tuple.Tuple2<Integer, Arbitrary<? extends T>>... choices) {
        return Arbitraries.frequencyOf(choices);
    }

    static <T> Tuple.Tuple2<Integer, Arbitrary<? extends T>> w(int weight, Arbitrary<? extends T> arbitrary) {
        return Tuple.of(weight, arbitrary);
    }

    /** Any hostile text, for path and query values, header values and JSON strings. */
    Arbitrary<String> text(int hugeMax) {
        return weighted(
                w(6, Arbitraries.of(corpus.texts())),
                w(1, Arbitraries.of(corpus.jsonValues()).filter(v -> v.length() <= 1000)),
                w(4, Arbitraries.strings().all().ofMaxLength(24)),
                w(2, Arbitraries.strings().withChars("\u0000\uD800\uDBFF\uDC00\uFFFF%/\\\"'.:@ \n\t+&=#?<>{}").ofMinLength(1).ofMaxLength(8)),
                w(2, numberText()),
                w(2, time()),
                w(2, duration()),
                w(2, cursor()),
                w(1, huge(hugeMax)));
    }

    /** Numbers as text: integers and decimals past every range, and odd spellings. */
    Arbitrary<String> numberText() {
        return Arbitraries.oneOf(
                Arbitraries.of(corpus.jsonValues().stream().filter(FuzzValues::isJsonNumber).toList()),
                Arbitraries.of(EDGE_LONGS).map(String::valueOf),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.bigIntegers().between(BigInteger.TEN.pow(30).negate(), BigInteger.TEN.pow(30)).map(String::valueOf),
                Arbitraries.doubles().map(String::valueOf),
                Arbitraries.integers().between(-500, 500).map(e -> "1e" + e),
                Arbitraries.of("1e400", "-1e400", "NaN", "Infinity", "-0", "00", "1.", ".5", "0x1F", "1_000", "１２"));
    }

    /** ISO times from year -999999999 to 999999999 with any offset, and Unix milliseconds of any size. */
    Arbitrary<String> time() {
        Arbitrary<Integer> year = weighted(
                w(3, Arbitraries.of(-999_999_999, 999_999_999, -4714, -1, 0, 1, 1969, 1970, 9999, 10_000, 294_276, 294_277)),
                w(2, Arbitraries.integers().between(-999_999_999, 999_999_999)),
                w(1, Arbitraries.integers().between(1900, 2100)));
        Arbitrary<String> iso = Combinators.combine(year, Arbitraries.integers().between(1, 12), Arbitraries.integers().between(1, 28),
                        Arbitraries.integers().between(0, 86_399), Arbitraries.of(0, 1, 999_999_999),
                        Arbitraries.integers().between(-72, 72))
                .as((y, mo, d, s, n, off) -> OffsetDateTime.of(y, mo, d, s / 3600, s / 60 % 60, s % 60, n,
                        ZoneOffset.ofTotalSeconds(off * 15 * 60)).toString());
        Arbitrary<String> fromCorpus = Arbitraries.of(corpus.texts().stream().filter(t -> t.matches("[+-]?\\d{4,}-.*|-?\\d+")).toList());
        return weighted(w(4, iso), w(2, fromCorpus), w(1, Arbitraries.of(EDGE_LONGS).map(String::valueOf)),
                w(1, Arbitraries.longs().map(String::valueOf)));
    }

    /** ISO durations: huge, negative, zero, with years and months. */
    Arbitrary<String> duration() {
        Arbitrary<String> number = Arbitraries.oneOf(Arbitraries.of(EDGE_LONGS).map(String::valueOf),
                Arbitraries.longs().between(0, 100_000).map(String::valueOf),
                Arbitraries.bigIntegers().between(BigInteger.ZERO, BigInteger.TEN.pow(25)).map(String::valueOf));
        Arbitrary<String> generated = Combinators.combine(Arbitraries.of("P%sD", "PT%sH", "PT%sM", "PT%sS", "P%sW", "P%sY", "P%sM", "-P%sD",
                "P1DT%sH", "PT%s.5S"), number).as(String::formatted);
        return weighted(w(3, generated), w(1, Arbitraries.of(corpus.texts().stream().filter(t -> t.matches("-?P.*")).toList())));
    }

    /** Paging cursors: base64url of "seconds.nanos:id" with any seconds and nanos, and ids of any text. */
    Arbitrary<String> cursor() {
        Arbitrary<String> seconds = Arbitraries.oneOf(Arbitraries.of(EDGE_LONGS).map(String::valueOf), Arbitraries.longs().map(String::valueOf),
                Arbitraries.of("99999999999999999999", "1.5", "", "x"));
        Arbitrary<String> nanos = Arbitraries.oneOf(Arbitraries.of("0", "999999999", "1000000000", "-1", "", "2147483648"),
                Arbitraries.integers().map(String::valueOf));
        Arbitrary<String> id = Arbitraries.oneOf(Arbitraries.of(EDGE_LONGS).map(String::valueOf), Arbitraries.of(corpus.texts()),
                Arbitraries.strings().all().ofMaxLength(12), Arbitraries.of("99999999999999999999999"));
        return Combinators.combine(seconds, nanos, id).as((s, n, i) -> s + "." + n + ":" + i)
                .map(raw -> Base64.getUrlEncoder().withoutPadding().encodeToString(Wtf8.bytes(raw)));
    }

    /** A long run of one character (a huge name, id or template). */
    Arbitrary<String> huge(int max) {
        return Combinators.combine(Arbitraries.of('x', '\u0000', '한', '{', '<', '%', '\uD800'), Arbitraries.integers().between(Math.min(300, max / 2), max))
                .as((c, n) -> String.valueOf(c).repeat(n));
    }

    /** A JSON value to put anywhere in a body: hostile text, raw numbers past every range, wrong types, deep nesting. */
    Arbitrary<JsonNode> jsonValue() {
        return weighted(
                w(6, text(20_000).map(TextNode::valueOf)),
                w(3, Arbitraries.of(corpus.jsonValues()).map(FuzzValues::raw)),
                w(2, numberText().filter(FuzzValues::isJsonNumber).map(FuzzValues::raw)),
                w(1, Arbitraries.bigDecimals().ofScale(3).map(NODES::numberNode)),
                w(1, Arbitraries.integers().between(-2000, 2000).map(e -> NODES.numberNode(new BigDecimal("1E" + e)))),
                w(2, Arbitraries.of(NODES.booleanNode(true), NODES.nullNode(), NODES.objectNode(), NODES.arrayNode(),
                        NODES.numberNode(0), NODES.numberNode(-1), NODES.numberNode(1.5), NODES.textNode(""))),
                w(1, Arbitraries.oneOf(time(), duration(), cursor()).map(TextNode::valueOf)),
                w(1, Arbitraries.integers().between(30, 12_000).map(n -> raw("[".repeat(n) + "]".repeat(n)))),
                w(1, huge(300_000).map(TextNode::valueOf)),
                w(1, text(100).list().ofMaxSize(4).map(list -> {
                    var array = NODES.arrayNode();
                    list.forEach(array::add);
                    return array;
                })));
    }

    static JsonNode raw(String json) {
        return NODES.rawValueNode(new RawValue(json));
    }

    static boolean isJsonNumber(String s) {
        return s.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
    }

    /** UTF-8 that keeps lone surrogates as their three-byte forms: invalid UTF-8, as a broken client would send. */
    static final class Wtf8 {
        private Wtf8() {}

        static byte[] bytes(String s) {
            boolean plain = true;
            for (int i = 0; i < s.length() && plain; i++) {
                plain = !Character.isSurrogate(s.charAt(i));
            }
            if (plain) {
                return s.getBytes(StandardCharsets.UTF_8);
            }
            List<Byte> out = new ArrayList<>();
            s.codePoints().forEach(cp -> {
                if (cp < 0x80) {
                    out.add((byte) cp);
                } else if (cp < 0x800) {
                    out.add((byte) (0xC0 | cp >> 6));
                    out.add((byte) (0x80 | cp & 0x3F));
                } else if (cp < 0x10000) {
                    out.add((byte) (0xE0 | cp >> 12));
                    out.add((byte) (0x80 | cp >> 6 & 0x3F));
                    out.add((byte) (0x80 | cp & 0x3F));
                } else {
                    out.add((byte) (0xF0 | cp >> 18));
                    out.add((byte) (0x80 | cp >> 12 & 0x3F));
                    out.add((byte) (0x80 | cp >> 6 & 0x3F));
                    out.add((byte) (0x80 | cp & 0x3F));
                }
            });
            byte[] bytes = new byte[out.size()];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = out.get(i);
            }
            return bytes;
        }
    }
}
