package dev.journey.api.fuzz;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The hostile values kept in {@code fuzz/hostile-values.txt} (see its header for the format): texts,
 * raw JSON values, and whole raw bodies as text or bytes. The corpus grows as fuzzing finds bugs.
 */
record HostileCorpus(List<String> texts, List<String> jsonValues, List<byte[]> bodies) {
    private static final Pattern REPEAT = Pattern.compile("\\$\\[(\\d+)\\*(.*?)]\\$");
    private static final String RESOURCE = "/fuzz/hostile-values.txt";

    static HostileCorpus load() {
        try (InputStream in = HostileCorpus.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static HostileCorpus parse(String file) {
        ObjectMapper json = new ObjectMapper();
        List<String> texts = new ArrayList<>();
        List<String> jsonValues = new ArrayList<>();
        List<byte[]> bodies = new ArrayList<>();
        int lineNr = 0;
        for (String line : file.split("\n", -1)) {
            lineNr++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.indexOf(' ');
            String kind = space < 0 ? line : line.substring(0, space);
            String value = expand(space < 0 ? "" : line.substring(space + 1));
            try {
                switch (kind) {
                    case "text" -> texts.add(json.readValue("\"" + value + "\"", String.class));
                    case "json" -> jsonValues.add(value);
                    case "body" -> bodies.add(value.getBytes(StandardCharsets.UTF_8));
                    case "bytes" -> bodies.add(HexFormat.of().parseHex(value.replace(" ", "")));
                    default -> throw new IllegalArgumentException("unknown kind " + kind);
                }
            } catch (IOException | IllegalArgumentException e) {
                throw new IllegalStateException(RESOURCE + " line " + lineNr + ": " + e.getMessage(), e);
            }
        }
        return new HostileCorpus(List.copyOf(texts), List.copyOf(jsonValues), List.copyOf(bodies));
    }

    /** {@code $[N*s]$}: s repeated N times. */
    private static String expand(String value) {
        Matcher m = REPEAT.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(2).repeat(Integer.parseInt(m.group(1)))));
        }
        m.appendTail(out);
        return out.toString();
    }
}
