package dev.eventsource.kafka.internal;

/** Kafka's rules for topic names, checked before a client sees a name. */
public final class TopicNames {

    /** Kafka's longest topic name. */
    public static final int MAX_LENGTH = 249;

    private TopicNames() {
    }

    /**
     * Returns {@code name} if Kafka accepts it as a topic name.
     *
     * @param what what the name is for, for the message (e.g. "the topic of aggregate type Order")
     * @throws IllegalArgumentException naming the rule it breaks and how to fix it
     */
    public static String require(String name, String what) {
        String problem = problem(name);
        if (problem != null) {
            throw new IllegalArgumentException(what + " is not a legal Kafka topic name: "
                    + (name == null ? "null" : "'" + name + "'") + " " + problem
                    + "; a topic name has 1 to " + MAX_LENGTH + " characters from a-z, A-Z, 0-9, '.', '_' and '-',"
                    + " and is not '.' or '..'");
        }
        return name;
    }

    private static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "is empty";
        }
        if (name.equals(".") || name.equals("..")) {
            return "is reserved";
        }
        if (name.length() > MAX_LENGTH) {
            return "has " + name.length() + " characters";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean legal = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!legal) {
                return "has the character '" + c + "' at index " + i;
            }
        }
        return null;
    }
}
