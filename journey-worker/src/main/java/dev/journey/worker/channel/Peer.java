package dev.journey.worker.channel;

/** Who a send talks to, as a stored error names it: "refused: webhook host …", "HTTP 500 from the webhook". */
enum Peer {
    WEBHOOK("webhook", "the webhook"),
    TWILIO("Twilio", "Twilio"),
    FCM("FCM", "FCM"),
    FCM_TOKEN_ENDPOINT("FCM token endpoint", "the FCM token endpoint"),
    APNS("APNs", "APNs"),
    SMTP("SMTP", "the SMTP server"),
    FETCH("endpoint", "the endpoint");

    /** "webhook": before "host" or a failure. */
    final String label;
    /** "the webhook": after "from". */
    final String phrase;

    Peer(String label, String phrase) {
        this.label = label;
        this.phrase = phrase;
    }
}
