package dev.journey.templates.liquid.tag;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import liqp.TemplateContext;
import liqp.nodes.LNode;
import liqp.tags.Tag;

/**
 * {@code {% liquid %}}: several tags in one, one per line, without delimiters. liqp hands the tag
 * its tokens without line breaks, so statements are told apart by their tag names (a tag name
 * where a new statement may begin starts one); {@code comment … endcomment} is dropped, and the
 * statements are rendered as ordinary tags in the current scope.
 */
public final class Liquid extends Tag {
    /** Words that open a statement inside {@code {% liquid %}}. */
    private static final Set<String> STATEMENTS = Set.of(
            "if", "elsif", "else", "endif", "unless", "endunless", "case", "when", "endcase",
            "for", "endfor", "tablerow", "endtablerow", "break", "continue", "cycle",
            "capture", "endcapture", "assign", "include", "render", "echo", "liquid",
            "increment", "decrement", "ifchanged", "endifchanged", "comment", "endcomment");
    /** Tokens after which an expression goes on, so a tag name there is a plain word. */
    private static final Set<String> CONTINUES = Set.of(
            ".", "[", "|", ":", ",", "=", "==", "!=", "<>", "<", ">", "<=", ">=", "and", "or", "contains", "in", "(", "..");

    public Liquid() {
        super("liquid");
    }

    @Override
    public Object render(TemplateContext context, LNode... nodes) {
        List<String> tokens = Markup.tokens(context, nodes);
        StringBuilder source = new StringBuilder();
        for (List<String> statement : statements(tokens)) {
            source.append("{% ").append(Markup.join(statement)).append(" %}");
        }
        return source.length() == 0 ? "" : Markup.render(context, source.toString());
    }

    static List<List<String>> statements(List<String> tokens) {
        List<List<String>> statements = new ArrayList<>();
        List<String> current = null;
        boolean inComment = false;
        for (String token : tokens) {
            if (inComment) {
                if ("endcomment".equals(token)) {
                    inComment = false;
                }
                continue;
            }
            boolean starts = STATEMENTS.contains(token)
                    && (current == null || !CONTINUES.contains(current.get(current.size() - 1)));
            if ("comment".equals(token) && starts) {
                inComment = true;
                current = null;
                continue;
            }
            if (starts || current == null) {
                current = new ArrayList<>();
                statements.add(current);
            }
            current.add(token);
        }
        return statements;
    }
}
