package io.tagstream.udfs.tagging;

/** The text of one content, as a tagger sees it. */
public record TaggingRequest(String tenant, String contentId, String title, String body, String lang) {

    /** Title and body as one text, the way models read a content. */
    public String text() {
        String t = title == null ? "" : title.strip();
        String b = body == null ? "" : body.strip();
        if (t.isEmpty()) {
            return b;
        }
        return b.isEmpty() ? t : t + ". " + b;
    }
}
