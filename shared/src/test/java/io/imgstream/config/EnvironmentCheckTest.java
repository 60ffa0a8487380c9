package io.imgstream.config;

import io.micronaut.core.convert.ConversionService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Numbers and booleans of the environment are refused by name before Micronaut would misread or choke on them. */
class EnvironmentCheckTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "MAX_UPLOAD_BYTES|abc|MAX_UPLOAD_BYTES must be a whole number (digits only); it is 'abc'",
            "MAX_UPLOAD_BYTES|32MiB|MAX_UPLOAD_BYTES must be a whole number (digits only); it is '32MiB'",
            "COLLISION_DETECTION_BATCH_SIZE|' 500'|COLLISION_DETECTION_BATCH_SIZE must be a whole number (digits only); it is ' 500'",
            "DELETED_RETENTION_HOURS|-1|DELETED_RETENTION_HOURS must be a whole number (digits only); it is '-1'",
            "CLEANUP_TIME_BUDGET_SECONDS|7m|CLEANUP_TIME_BUDGET_SECONDS must be a whole number (digits only); it is '7m'",
            "DB_MAX_POOL_SIZE|''|DB_MAX_POOL_SIZE must be a whole number (digits only); it is ''",
            // Micronaut reads these as false without a word: monitoring would be off while the operator meant it on.
            "MONITORING_ENABLED|1|MONITORING_ENABLED must be true or false (or yes/no, on/off); it is '1'",
            "MONITORING_ENABLED|0|MONITORING_ENABLED must be true or false (or yes/no, on/off); it is '0'",
            "MONITORING_ENABLED|banana|MONITORING_ENABLED must be true or false (or yes/no, on/off); it is 'banana'",
    })
    void refusesAMalformedValueByName(String variable, String value, String line) {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> EnvironmentCheck.verify(Map.of(variable, value)));
        assertEquals("Invalid configuration: " + line, e.getMessage());
    }

    /** The constant lists are exactly the placeholders of application.properties whose default is a number or a boolean. */
    @Test
    void knowsEveryNumberAndBooleanApplicationPropertiesReads() throws Exception {
        String properties;
        try (var in = EnvironmentCheck.class.getResourceAsStream("/application.properties")) {
            properties = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
        Set<String> numbers = new HashSet<>();
        Set<String> booleans = new HashSet<>();
        var m = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*):([^}]*)}").matcher(properties);
        while (m.find()) {
            if (m.group(2).matches("[0-9]+")) {
                numbers.add(m.group(1));
            } else if (m.group(2).matches("true|false")) {
                booleans.add(m.group(1));
            }
        }
        assertEquals(numbers, Set.copyOf(EnvironmentCheck.WHOLE_NUMBERS));
        assertEquals(booleans, Set.copyOf(EnvironmentCheck.BOOLEANS));
    }

    @Test
    void anUnknownLogFormatIsRefusedByName() {
        InvalidConfigurationException e = org.junit.jupiter.api.Assertions.assertThrows(InvalidConfigurationException.class,
                () -> EnvironmentCheck.verify(Map.of("LOG_FORMAT", "pretty")));
        assertEquals("Invalid configuration: LOG_FORMAT must be text or json; it is 'pretty'", e.getMessage());
        EnvironmentCheck.verify(Map.of("LOG_FORMAT", "TEXT"));
        EnvironmentCheck.verify(Map.of("LOG_FORMAT", "json"));
    }

    @Test
    void acceptsWellFormedValuesAndIgnoresEverythingElse() {
        EnvironmentCheck.verify(Map.of("MAX_UPLOAD_BYTES", "1048576", "MONITORING_ENABLED", "FALSE", "DELETED_RETENTION_HOURS", "0",
                "ENVIRONMENT", "production", "ALLOWED_ORIGINS", "https://a.example", "PATH", "/usr/bin", "HOME", "x y"));
        EnvironmentCheck.verify(Map.of());
        for (String word : new String[]{"true", "False", "YES", "no", "On", "off"}) {
            EnvironmentCheck.verify(Map.of("MONITORING_ENABLED", word));
        }
    }

    /** The accepted words are read by Micronaut as they say; "1" is not (it becomes false), which is why it is refused. */
    @Test
    void acceptsOnlyBooleanWordsMicronautReadsAsTheySay() {
        var conversion = ConversionService.SHARED;
        for (String word : new String[]{"true", "YES", "on"}) {
            assertEquals(Optional.of(true), conversion.convert(word, Boolean.class), word);
        }
        for (String word : new String[]{"false", "No", "OFF"}) {
            assertEquals(Optional.of(false), conversion.convert(word, Boolean.class), word);
        }
        assertEquals(Optional.of(false), conversion.convert("1", Boolean.class), "Micronaut reads 1 as false");
    }
}
