package dev.journey.worker.channel;

/**
 * How an SMS body travels: GSM 03.38 (7-bit, 160 characters in one message, 153 per part when
 * split) when every character is in the GSM alphabet, else UCS-2 (70, and 67 per part). Characters
 * of the GSM extension table ({@code € [ ] { } ~ ^ \ |}) take two places. One emoji or one
 * unusual accent turns the whole message into UCS-2, which is why the log records the encoding.
 */
public record SmsEncoding(String encoding, int units, int segments) {
    public static final String GSM = "GSM-7";
    public static final String UCS2 = "UCS-2";

    private static final String BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    private static final String EXTENSION = "^{}\\[~]|€\f";

    public static SmsEncoding of(String body) {
        int septets = 0;
        for (int i = 0; i < body.length(); i++) {
            char ch = body.charAt(i);
            if (BASIC.indexOf(ch) >= 0) {
                septets++;
            } else if (EXTENSION.indexOf(ch) >= 0) {
                septets += 2;
            } else {
                septets = -1;
                break;
            }
        }
        if (septets >= 0) {
            return new SmsEncoding(GSM, septets, septets <= 160 ? 1 : ceil(septets, 153));
        }
        int units = body.length();
        return new SmsEncoding(UCS2, units, units <= 70 ? 1 : ceil(units, 67));
    }

    private static int ceil(int a, int b) {
        return (a + b - 1) / b;
    }
}
