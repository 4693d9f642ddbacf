package dev.journey.worker.channel;

import java.io.IOException;
import java.util.Map;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Transport;

import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a failed SMTP conversation becomes in the message log: the reply code and a fixed meaning
 * for it ("SMTP 550 (mailbox unavailable)"), never the server's own words. Whatever listens on a
 * host and port a channel names answers there, and its greeting or error text (a database's or
 * an internal service's banner) must not come back through the API. The worker's log keeps it.
 */
final class SmtpFailures {
    private static final Logger LOG = LoggerFactory.getLogger(SmtpFailures.class);
    private static final Map<Integer, String> MEANINGS = Map.ofEntries(
            Map.entry(421, "service not available"),
            Map.entry(450, "mailbox unavailable"),
            Map.entry(451, "local error in processing"),
            Map.entry(452, "insufficient storage"),
            Map.entry(454, "TLS not available"),
            Map.entry(500, "command not recognised"),
            Map.entry(501, "syntax error in parameters"),
            Map.entry(502, "command not implemented"),
            Map.entry(503, "bad sequence of commands"),
            Map.entry(504, "parameter not implemented"),
            Map.entry(530, "authentication required"),
            Map.entry(534, "authentication mechanism too weak"),
            Map.entry(535, "authentication failed"),
            Map.entry(550, "mailbox unavailable"),
            Map.entry(551, "user not local"),
            Map.entry(552, "storage allocation exceeded"),
            Map.entry(553, "mailbox name not allowed"),
            Map.entry(554, "transaction failed"),
            Map.entry(555, "parameters not recognised"));

    private SmtpFailures() {}

    /**
     * A refused login and a permanent refusal of the recipient (5xx) fail the message; a refused
     * destination too; anything else may be a passing state of the server.
     */
    static SendResult of(MessagingException failure, Transport transport) {
        if (ConnectionFailures.find(failure, IOException.class) != null) {
            return ConnectionFailures.of(Peer.SMTP, failure);
        }
        LOG.info("SMTP conversation failed: {}", ConnectionFailures.chain(failure));
        int code = replyCode(failure, transport);
        String error = code > 0 ? "SMTP " + code + " (" + meaning(code) + ")" : "SMTP: the conversation failed";
        if (failure instanceof AuthenticationFailedException) {
            return SendResult.reject(code > 0 ? error : "SMTP: authentication failed");
        }
        return failure instanceof SendFailedException && code >= 500 ? SendResult.reject(error) : SendResult.retry(error);
    }

    static String meaning(int code) {
        return MEANINGS.getOrDefault(code, code >= 500 ? "refused" : code >= 400 ? "temporary failure" : "unexpected reply");
    }

    /** The code of the reply that failed: from the exception when it carries one, else the last the transport read. */
    private static int replyCode(MessagingException failure, Transport transport) {
        for (Exception e = failure; e != null; e = e instanceof MessagingException m ? m.getNextException() : null) {
            if (e instanceof SMTPAddressFailedException a) {
                return a.getReturnCode();
            }
            if (e instanceof SMTPSenderFailedException s) {
                return s.getReturnCode();
            }
            if (e instanceof SMTPSendFailedException s) {
                return s.getReturnCode();
            }
        }
        int last = transport instanceof SMTPTransport smtp ? smtp.getLastReturnCode() : -1;
        return last >= 400 && last <= 599 ? last : -1;
    }
}
