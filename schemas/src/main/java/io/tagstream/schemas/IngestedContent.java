package io.tagstream.schemas;

/**
 * What the source hands on for each Kafka record: either a valid content event or the dead letter
 * that says why it is not one. Exactly one of the two is set.
 */
public record IngestedContent(ContentEvent event, DeadLetter deadLetter) {

    public static IngestedContent valid(ContentEvent event) {
        return new IngestedContent(event, null);
    }

    public static IngestedContent rejected(DeadLetter deadLetter) {
        return new IngestedContent(null, deadLetter);
    }

    public boolean isValid() {
        return event != null;
    }
}
