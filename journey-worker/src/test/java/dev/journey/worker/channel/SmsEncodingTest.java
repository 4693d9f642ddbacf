package dev.journey.worker.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SmsEncodingTest {
    @Test
    void smsEncodingAndSegments() {
        assertEquals(new SmsEncoding("GSM-7", 160, 1), SmsEncoding.of("a".repeat(160)));
        assertEquals(new SmsEncoding("GSM-7", 161, 2), SmsEncoding.of("a".repeat(161)));
        assertEquals(new SmsEncoding("GSM-7", 306, 2), SmsEncoding.of("a".repeat(306)));
        assertEquals(new SmsEncoding("GSM-7", 307, 3), SmsEncoding.of("a".repeat(307)));
        assertEquals(new SmsEncoding("GSM-7", 2, 1), SmsEncoding.of("€"), "extension characters take two places");
        assertEquals(new SmsEncoding("GSM-7", 5, 1), SmsEncoding.of("Ünïö".replace("ï", "i") + "é"));
        assertEquals(new SmsEncoding("UCS-2", 70, 1), SmsEncoding.of("ж".repeat(70)));
        assertEquals(new SmsEncoding("UCS-2", 71, 2), SmsEncoding.of("ж".repeat(71)));
        assertEquals(new SmsEncoding("UCS-2", 3, 1), SmsEncoding.of("a😀"), "an emoji is two UTF-16 units");
    }
}
