package dev.journey.worker.db;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * An enum kept as its name in lower case ({@code active}, {@code published}): so it is stored (the
 * {@link Sql} helper binds it so), shown in the API and passed in Temporal payloads.
 */
public interface StoredName {
    String name();

    @JsonValue
    default String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The constant whose stored value this is. */
    static <E extends Enum<E> & StoredName> Optional<E> of(Class<E> type, String value) {
        return Arrays.stream(type.getEnumConstants()).filter(e -> e.value().equals(value)).findFirst();
    }
}
