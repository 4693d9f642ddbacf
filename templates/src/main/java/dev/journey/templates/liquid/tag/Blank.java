package dev.journey.templates.liquid.tag;

import java.lang.reflect.Field;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

import liqp.Insertion;
import liqp.nodes.AtomNode;
import liqp.nodes.BlockNode;
import liqp.nodes.InsertionNode;
import liqp.nodes.LNode;

/**
 * Shopify Liquid's "blank block" rule, which liqp lacks: a block whose body holds nothing but
 * whitespace and silent tags ({@code assign}, {@code capture}, {@code comment}, or blocks that
 * are themselves blank) renders nothing — so {@code {% if x %}\n  {% assign y = 1 %}\n{% endif %}}
 * leaves no blank lines behind. Decided from the parsed nodes, not from the output, so a block
 * with {@code {{ '' }}} or {@code {% echo '' %}} keeps its whitespace. liqp keeps a tag's name
 * and arguments in private fields; when they cannot be read, nothing counts as blank.
 */
final class Blank {
    private static final Set<String> SILENT = Set.of("assign", "capture", "comment", "doc");
    private static final Set<String> BLOCKS = Set.of("if", "unless", "case", "for");
    private static final Field INSERTION = field("insertion");
    private static final Field TOKENS = field("tokens");
    private static final Map<BlockNode, Boolean> KNOWN = Collections.synchronizedMap(new WeakHashMap<>());

    private Blank() {}

    /** True when every block among {@code nodes} (the bodies of an if, for, case…) is blank. */
    static boolean bodies(LNode... nodes) {
        boolean any = false;
        for (LNode node : nodes) {
            if (node instanceof BlockNode block) {
                any = true;
                if (!block(block)) {
                    return false;
                }
            }
        }
        return any;
    }

    private static boolean block(BlockNode block) {
        Boolean known = KNOWN.get(block);
        if (known == null) {
            known = block.getChildren().stream().allMatch(Blank::node);
            KNOWN.put(block, known);
        }
        return known;
    }

    private static boolean node(LNode node) {
        if (node instanceof AtomNode) {
            Object text = node.render(null);
            return text instanceof String s && s.isBlank();
        }
        if (node instanceof InsertionNode tag && INSERTION != null && TOKENS != null) {
            try {
                String name = ((Insertion) INSERTION.get(tag)).name;
                if (SILENT.contains(name)) {
                    return true;
                }
                return BLOCKS.contains(name) && bodies((LNode[]) TOKENS.get(tag));
            } catch (ReflectiveOperationException | RuntimeException e) {
                return false;
            }
        }
        return false;
    }

    private static Field field(String name) {
        try {
            Field f = InsertionNode.class.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
