package org.vectrain.cli.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns the small Markdown subset that report paragraphs use into HTML, escaping everything else.
 *
 * <p>Blocks are separated by blank lines; a block whose lines all start with {@code "- "} or
 * {@code "* "} is a bullet list, any other block a paragraph. Inline: {@code `code`},
 * {@code **strong**}, {@code *emphasis*}, {@code [text](link)} and backslash escapes. Anything
 * else, including raw HTML, shows as literal text. Links keep only relative targets, anchors and the
 * {@code http}, {@code https} and {@code mailto} schemes; others (such as {@code javascript:}) show as text.
 */
final class MarkdownHtml {
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");
    private static final Pattern BLANK_LINES = Pattern.compile("\\n[ \\t]*\\n");

    private MarkdownHtml() {
    }

    /** The blocks of {@code markdown} as HTML, one element per line. */
    static String blocks(String markdown) {
        StringBuilder html = new StringBuilder();
        String text = markdown.replace("\r\n", "\n").replace('\r', '\n').strip();
        if (text.isEmpty()) {
            return "";
        }
        for (String block : BLANK_LINES.split(text)) {
            List<String> lines = new ArrayList<>();
            for (String line : block.strip().split("\n")) {
                lines.add(line.strip());
            }
            if (lines.stream().allMatch(l -> l.startsWith("- ") || l.startsWith("* "))) {
                html.append("<ul>\n");
                for (String line : lines) {
                    html.append("<li>").append(inline(line.substring(2).strip())).append("</li>\n");
                }
                html.append("</ul>\n");
            } else {
                html.append("<p>").append(inline(String.join("\n", lines))).append("</p>\n");
            }
        }
        return html.toString();
    }

    /** One paragraph's inline Markdown as HTML. */
    static String inline(String text) {
        StringBuilder html = new StringBuilder(text.length() + 16);
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length() && isAsciiPunctuation(text.charAt(i + 1))) {
                html.append(escape(String.valueOf(text.charAt(i + 1))));
                i += 2;
            } else if (c == '`' && text.indexOf('`', i + 1) > i + 1) {
                int end = text.indexOf('`', i + 1);
                html.append("<code>").append(escape(text.substring(i + 1, end))).append("</code>");
                i = end + 1;
            } else if (text.startsWith("**", i) && enclosed(text, i + 2, text.indexOf("**", i + 2))) {
                int end = text.indexOf("**", i + 2);
                html.append("<strong>").append(inline(text.substring(i + 2, end))).append("</strong>");
                i = end + 2;
            } else if (c == '*' && !text.startsWith("**", i) && enclosed(text, i + 1, text.indexOf('*', i + 1))) {
                int end = text.indexOf('*', i + 1);
                html.append("<em>").append(inline(text.substring(i + 1, end))).append("</em>");
                i = end + 1;
            } else if (c == '[' && link(text, i, html)) {
                i = text.indexOf(')', text.indexOf("](", i)) + 1;
            } else {
                html.append(escape(String.valueOf(c)));
                i++;
            }
        }
        return html.toString();
    }

    /** Appends {@code [label](target)} starting at {@code start} as a link, if it is one with a safe target. */
    private static boolean link(String text, int start, StringBuilder html) {
        int middle = text.indexOf("](", start);
        if (middle < 0 || text.indexOf('\n', start) >= 0 && text.indexOf('\n', start) < middle) {
            return false;
        }
        int end = text.indexOf(')', middle + 2);
        if (end < 0) {
            return false;
        }
        String target = text.substring(middle + 2, end).strip();
        if (target.isEmpty() || target.chars().anyMatch(Character::isWhitespace) || !safeTarget(target)) {
            return false;
        }
        html.append("<a href=\"").append(escape(target)).append("\">")
                .append(inline(text.substring(start + 1, middle))).append("</a>");
        return true;
    }

    private static boolean safeTarget(String target) {
        var scheme = SCHEME.matcher(target);
        if (!scheme.find()) {
            return true;
        }
        String name = scheme.group().toLowerCase(Locale.ROOT);
        return name.equals("http:") || name.equals("https:") || name.equals("mailto:");
    }

    /** Whether text[from, end) is non-empty and does not start or end with a space, as emphasis requires. */
    private static boolean enclosed(String text, int from, int end) {
        return end > from && !Character.isWhitespace(text.charAt(from)) && !Character.isWhitespace(text.charAt(end - 1));
    }

    private static boolean isAsciiPunctuation(char c) {
        return c < 128 && "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".indexOf(c) >= 0;
    }

    /** {@code text} safe inside HTML element content and double- or single-quoted attributes. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
