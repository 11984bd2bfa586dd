package io.syncexec.local.server;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The consumer page's folder, as it is: {@code index.html} for {@code /}, files by path with their
 * content type, {@code Cache-Control: no-store} (edit and reload). No directory listing, nothing outside
 * the folder (after decoding, normalizing and following links), no hidden files. What the local mode adds
 * to the page (the sign-in hint) goes into {@code index.html}'s {@code <head>} as it is served, and the
 * page's settings ({@code config.json}, written from the stack's outputs on AWS) are served from memory,
 * never into the folder: the folder is the page as deployed.
 */
public final class StaticFiles {

    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json"),
            Map.entry("map", "application/json"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("woff2", "font/woff2"),
            Map.entry("txt", "text/plain; charset=utf-8"));

    /**
     * What CloudFront sends with the deployed page (template.yaml, ConsumerPageHeadersPolicy), with the
     * API and the identity provider on this origin: so the page is tried locally under the same rules.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'";

    private final Path root;
    private final String headAddition;
    private final Map<String, byte[]> generated;

    /** The folder as it is. */
    public StaticFiles(Path root) {
        this(root, "", Map.of());
    }

    /**
     * @param headAddition HTML put at the end of {@code index.html}'s {@code <head>}
     * @param generated    files served from memory by path ({@code /config.json}), over the folder's
     */
    public StaticFiles(Path root, String headAddition, Map<String, byte[]> generated) {
        this.root = root.toAbsolutePath().normalize();
        this.headAddition = headAddition;
        this.generated = Map.copyOf(generated);
    }

    public Path root() {
        return root;
    }

    /** Answers the request if it names a file of the folder; false (nothing sent) otherwise. */
    boolean serve(HttpExchange exchange, String rawPath, String method) throws IOException {
        byte[] made = generated.get(rawPath);
        Path file = made != null ? root.resolve(rawPath.substring(1)) : resolve(rawPath);
        if (file == null) {
            return false;
        }
        byte[] body = made != null ? made : Files.readAllBytes(file);
        if (made == null && !headAddition.isEmpty() && file.equals(root.toRealPath().resolve("index.html"))) {
            String html = new String(body, StandardCharsets.UTF_8);
            int head = html.indexOf("</head>");
            body = (html.substring(0, head) + headAddition + html.substring(head)).getBytes(StandardCharsets.UTF_8);
        }
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", contentType(file));
        headers.set("Cache-Control", "no-store");
        headers.set("X-Content-Type-Options", "nosniff");
        if (contentType(file).startsWith("text/html")) {
            headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        }
        if ("HEAD".equals(method)) {
            headers.set("Content-Length", Integer.toString(body.length));
            exchange.sendResponseHeaders(200, -1);
            return true;
        }
        exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
        return true;
    }

    /** The regular file of the folder that {@code rawPath} names, or null. */
    Path resolve(String rawPath) {
        String path;
        try {
            path = URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (path.equals("/")) {
            path = "/index.html";
        }
        if (!path.startsWith("/") || path.indexOf('\0') >= 0 || path.contains("\\")) {
            return null;
        }
        for (String segment : path.substring(1).split("/", -1)) {
            if (segment.isEmpty() || segment.startsWith(".")) {
                return null; // "..", hidden files, "//" and directory paths ending in "/"
            }
        }
        try {
            Path candidate = root.resolve(path.substring(1)).normalize();
            if (!candidate.startsWith(root) || !Files.isRegularFile(candidate)) {
                return null;
            }
            Path real = candidate.toRealPath();
            return real.startsWith(root.toRealPath()) ? real : null;
        } catch (InvalidPathException | IOException e) {
            return null;
        }
    }

    static String contentType(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String extension = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return TYPES.getOrDefault(extension, "application/octet-stream");
    }
}
