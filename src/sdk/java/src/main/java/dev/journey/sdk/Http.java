package dev.journey.sdk;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpRetryException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * One request to the engine. HttpURLConnection rather than java.net.http.HttpClient: Android has the
 * former on every version and the latter on none.
 */
final class Http {
    static final String USER_AGENT = "journey-sdk-java/" + Journey.VERSION;

    private final JourneyOptions options;

    Http(JourneyOptions options) {
        this.options = options;
    }

    static final class Response {
        final int status;
        final String body;
        final String retryAfter;

        Response(int status, String body, String retryAfter) {
            this.status = status;
            this.body = body;
            this.retryAfter = retryAfter;
        }

        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /** @throws IOException when no answer came (offline, DNS, refused, timed out): worth trying again */
    Response call(String method, String path, byte[] body) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL(options.baseUrl() + "/v1/projects/" + enc(options.projectId()) + path)
                .openConnection();
        int timeout = (int) Math.min(Integer.MAX_VALUE, options.httpTimeout().toMillis());
        c.setConnectTimeout(timeout);
        c.setReadTimeout(timeout);
        c.setRequestMethod(method);
        c.setUseCaches(false);
        c.setRequestProperty("Authorization", "Bearer " + options.key());
        c.setRequestProperty("Accept", "application/json");
        c.setRequestProperty("User-Agent", USER_AGENT);
        if (body != null) {
            c.setDoOutput(true);
            c.setRequestProperty("Content-Type", "application/json");
            c.setFixedLengthStreamingMode(body.length);
            try (OutputStream out = c.getOutputStream()) {
                out.write(body);
            }
        } else if ("POST".equals(method) || "PUT".equals(method)) {
            c.setDoOutput(true);
            c.setFixedLengthStreamingMode(0);
            c.getOutputStream().close();
        }
        int status;
        try {
            status = c.getResponseCode();
        } catch (HttpRetryException e) {
            // A 401 with WWW-Authenticate (from a proxy, say) in streaming mode: still an answer, not network trouble.
            return new Response(e.responseCode(), "", null);
        }
        InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
        String text = "";
        if (in != null) {
            try (InputStream stream = in) {
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                byte[] buffer = new byte[8192];
                for (int n; (n = stream.read(buffer)) > 0; ) {
                    all.write(buffer, 0, n);
                }
                text = new String(all.toByteArray(), StandardCharsets.UTF_8);
            }
        }
        return new Response(status, text, c.getHeaderField("Retry-After"));
    }

    static String enc(String s) {
        try {
            return URLEncoder.encode(s, "UTF-8").replace("+", "%20");
        } catch (java.io.UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
