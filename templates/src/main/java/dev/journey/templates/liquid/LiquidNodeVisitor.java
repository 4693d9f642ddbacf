package dev.journey.templates.liquid;

import dev.journey.templates.liquid.node.Comparison;
import dev.journey.templates.liquid.node.Contains;
import dev.journey.templates.liquid.node.RangeNode;
import liqp.TemplateParser;
import liqp.nodes.LNode;
import liqp.parser.v4.NodeVisitor;
import liquid.parser.v4.LiquidParser.Expr_containsContext;
import liquid.parser.v4.LiquidParser.Expr_eqContext;
import liquid.parser.v4.LiquidParser.Expr_relContext;
import liquid.parser.v4.LiquidParser.Term_exprContext;

/**
 * liqp's parse tree turned into nodes, with Shopify's rules where liqp's differ: range literals
 * outside {@code for} ({@link RangeLiterals}), comparisons with {@code blank} and {@code empty}
 * ({@link Comparison}) and {@code contains} with a nil or false side ({@link Contains}). Every
 * template, partial and {@code liquid} tag is built through it.
 */
public final class LiquidNodeVisitor extends NodeVisitor {
    public LiquidNodeVisitor(TemplateParser parser) {
        super(parser.insertions, parser.filters, parser.liquidStyleInclude);
    }

    @Override
    public LNode visitTerm_expr(Term_exprContext ctx) {
        if (ctx.expr() instanceof Expr_eqContext pair && RangeNode.DOTS.equals(pair.op.getText())) {
            return new RangeNode(visit(pair.lhs), visit(pair.rhs));
        }
        return super.visitTerm_expr(ctx);
    }

    @Override
    public LNode visitExpr_eq(Expr_eqContext ctx) {
        return new Comparison(visit(ctx.lhs), ctx.op.getText(), visit(ctx.rhs));
    }

    @Override
    public LNode visitExpr_rel(Expr_relContext ctx) {
        return new Comparison(visit(ctx.lhs), ctx.op.getText(), visit(ctx.rhs));
    }

    @Override
    public LNode visitExpr_contains(Expr_containsContext ctx) {
        return new Contains(visit(ctx.lhs), visit(ctx.rhs));
    }
}
