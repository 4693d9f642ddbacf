package dev.journey.worker.message;

import java.util.Map;

import dev.journey.templates.Partials;
import dev.journey.templates.RenderResult;
import dev.journey.templates.TemplateRenderer;
import dev.journey.templates.Translations;

/**
 * Renders one message for its user: the variables every template sees ({@link MessageContext}) and
 * the translation the user's locale picks. The one way a message's content is made, whether it is
 * then recorded and sent ({@link MessageRecorder}) or only predicted (a journey's dry run), so the
 * two can never disagree.
 */
public final class MessageRenderer {
    /** What was rendered, field by field with its errors, and which translation was used. */
    public record Rendering(RenderResult result, Translations.Choice language) {}

    private final TemplateRenderer renderer;

    public MessageRenderer(TemplateRenderer renderer) {
        this.renderer = renderer;
    }

    /** {@code user} is the subject's user as {@code SubjectStore.user} builds it. */
    public Rendering render(SendMessage m, ProjectTemplates.Template template, Map<String, Object> user, Partials snippets) {
        return render(m, template, user, snippets, null);
    }

    /** @param unsubscribeUrl the message's preference link ({@code message.unsubscribe_url}), null for none */
    public Rendering render(SendMessage m, ProjectTemplates.Template template, Map<String, Object> user, Partials snippets,
                            String unsubscribeUrl) {
        Map<String, Object> context = MessageContext.of(m, user, unsubscribeUrl);
        Translations.Choice language = template.translations().choose(template.fields(), Translations.userLocale(context));
        return new Rendering(renderer.renderFields(language.fields(), context, snippets), language);
    }
}
