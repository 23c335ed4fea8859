package io.tagstream.udfs.content;

import io.tagstream.schemas.ContentEvent;
import io.tagstream.udfs.tagging.TagAssignment;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Remembers, per content, the hash of the text last tagged and the tagger's proposals for it, so
 * an event whose title, body and language are unchanged (a new version that only changes
 * metadata or user tags, a replay) is not tagged again. Bounded, least recently used first out.
 * Not fault tolerant on purpose: after a restart a content is simply tagged once more.
 */
public final class TaggedTextCache {
    private record Entry(byte[] hash, List<TagAssignment> proposals) {}

    private final Map<String, Entry> entries;

    public TaggedTextCache(int capacity) {
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The proposals for this event's text when it is the text last tagged for its content. */
    public synchronized List<TagAssignment> get(ContentEvent event) {
        Entry entry = entries.get(event.contentKey());
        return entry != null && Arrays.equals(entry.hash(), hash(event)) ? entry.proposals() : null;
    }

    public synchronized void put(ContentEvent event, List<TagAssignment> proposals) {
        entries.put(event.contentKey(), new Entry(hash(event), List.copyOf(proposals)));
    }

    public synchronized int size() {
        return entries.size();
    }

    static byte[] hash(ContentEvent event) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {event.title(), event.body(), event.lang()}) {
                digest.update((part == null ? "\u0001" : part).getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            }
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
