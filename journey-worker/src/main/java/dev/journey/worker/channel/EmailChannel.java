package dev.journey.worker.channel;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

/**
 * SMTP: {@code subject}, {@code html} and {@code text} fields become one message, multipart/alternative
 * when both bodies are there. The Message-ID is derived from the message id, so a repeat after a
 * crash carries the same id and mail systems can recognise it. TLS: {@code none}, {@code starttls}
 * (upgrade required) or {@code tls} (implicit, usually port 465). The whole conversation (connect,
 * greeting, TLS, login, the message) ends by the attempt's deadline: the channel's timeout bounds
 * each step, and a {@link SocketWatchdog} closes the connection when the deadline passes. Its
 * sockets connect only where the outbound policy allows; what the server says stays out of the
 * message log ({@link SmtpFailures}).
 */
public class EmailChannel implements Channel {
    public static final String MESSAGE_ID_HEADER = "X-Journey-Message-Id";

    private final OutboundPolicy outbound;

    EmailChannel(OutboundPolicy outbound) {
        this.outbound = outbound;
    }

    @Override
    public ChannelType type() {
        return ChannelType.EMAIL;
    }

    @Override
    public SendResult send(Outgoing o, List<ProjectChannel> configured, Deadline deadline) {
        EmailConfig c = (EmailConfig) configured.get(0).config();
        String to = o.recipient("email");
        if (to == null) {
            return SendResult.reject("no recipient: render a \"to\" field or give the user an \"email\" tag");
        }
        InternetAddress recipient;
        InternetAddress from;
        try {
            recipient = new InternetAddress(to, true);
            from = new InternetAddress(c.from(), false);
        } catch (AddressException e) {
            return SendResult.reject("invalid address: " + e.getMessage());
        }
        String html = o.field("html");
        String text = o.field("text");
        if (html == null && text == null) {
            text = o.field("body");
        }
        if (html == null && text == null) {
            return SendResult.reject("an e-mail needs an \"html\" or \"text\" field");
        }
        Duration stepTimeout = deadline.cap(c.attemptTimeout());
        if (stepTimeout.isZero()) {
            return SendResult.retry("SMTP: no time left: " + deadline.describe() + " are spent");
        }
        try (SocketWatchdog watchdog = SocketWatchdog.until(deadline, outbound)) {
            SendResult result = send(o, c, from, recipient, to, html, text, session(c, stepTimeout, watchdog));
            // Whatever the library made of its sockets closing under it, the cause is the deadline.
            return watchdog.fired() && !result.delivered()
                    ? SendResult.retry("SMTP: the conversation did not finish within " + deadline.describe() + "; the connection was closed")
                    : result;
        }
    }

    private SendResult send(Outgoing o, EmailConfig c, InternetAddress from, InternetAddress recipient, String to, String html,
                            String text, Session session) {
        Transport transport = null;
        try {
            MimeMessage mail = new IdentifiedMessage(session, "<" + o.messageId() + "@journey>");
            mail.setFrom(from);
            mail.setRecipient(Message.RecipientType.TO, recipient);
            mail.setSubject(o.field("subject") == null ? "" : o.field("subject"), StandardCharsets.UTF_8.name());
            mail.setSentDate(new Date());
            mail.setHeader(MESSAGE_ID_HEADER, o.messageId());
            if (o.unsubscribeUrl() != null) {
                // RFC 8058: mail clients show an unsubscribe button that POSTs "List-Unsubscribe=One-Click" to the link.
                mail.setHeader("List-Unsubscribe", "<" + o.unsubscribeUrl() + ">");
                mail.setHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
            }
            if (html != null && text != null) {
                MimeMultipart alternative = new MimeMultipart("alternative");
                MimeBodyPart plain = new MimeBodyPart();
                plain.setText(text, "UTF-8", "plain");
                MimeBodyPart rich = new MimeBodyPart();
                rich.setText(html, "UTF-8", "html");
                alternative.addBodyPart(plain);
                alternative.addBodyPart(rich);
                mail.setContent(alternative);
            } else if (html != null) {
                mail.setText(html, "UTF-8", "html");
            } else {
                mail.setText(text, "UTF-8", "plain");
            }
            mail.saveChanges();
            transport = session.getTransport(c.tls() == EmailConfig.Tls.TLS ? "smtps" : "smtp");
            try {
                transport.connect(c.host(), c.port(), c.authenticates() ? c.username() : null, c.authenticates() ? c.password() : null);
                transport.sendMessage(mail, new Address[] {recipient});
            } finally {
                closeQuietly(transport);
            }
            return SendResult.ok(Map.of("to", to));
        } catch (MessagingException e) {
            return SmtpFailures.of(e, transport);
        }
    }

    /** Once the server took the message (sendMessage returned), a failed goodbye (QUIT) changes nothing: it was sent. */
    private static void closeQuietly(Transport transport) {
        try {
            transport.close();
        } catch (MessagingException ignored) {
            // the connection is gone either way
        }
    }

    /** A session for one send: each step bounded by {@code stepTimeout}, its sockets watched by {@code watchdog}. */
    private static Session session(EmailConfig c, Duration stepTimeout, SocketWatchdog watchdog) {
        Properties p = new Properties();
        EmailConfig.Tls tls = c.tls() == null ? EmailConfig.Tls.NONE : c.tls();
        String timeout = String.valueOf(Math.max(1, stepTimeout.toMillis()));
        for (String protocol : new String[] {"smtp", "smtps"}) {
            p.put("mail." + protocol + ".connectiontimeout", timeout);
            p.put("mail." + protocol + ".timeout", timeout);
            p.put("mail." + protocol + ".writetimeout", timeout);
            p.put("mail." + protocol + ".auth", String.valueOf(c.authenticates()));
            // An instance, not a class name: Jakarta Mail then takes its unconnected sockets from it (TLS is layered on top).
            p.put("mail." + protocol + ".socketFactory", watchdog.sockets());
            // Without this, a socket the factory refused (the outbound policy) is made again without it.
            p.put("mail." + protocol + ".socketFactory.fallback", "false");
        }
        if (tls == EmailConfig.Tls.STARTTLS) {
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true");
        }
        if (tls != EmailConfig.Tls.NONE) {
            p.put("mail.smtp.ssl.checkserveridentity", "true");
            p.put("mail.smtps.ssl.checkserveridentity", "true");
        }
        return Session.getInstance(p);
    }

    /** Jakarta Mail replaces Message-ID on save; this keeps ours. */
    private static final class IdentifiedMessage extends MimeMessage {
        private final String id;

        IdentifiedMessage(Session session, String id) {
            super(session);
            this.id = id;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", id);
        }
    }
}
