package io.imgstream.application;

import io.imgstream.domain.Filename;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NameSuggestionsTest {

    @Test
    void theCopyPrefixIsTheFirstCopysKeyUpToItsNumber() {
        assertEquals("holiday (", NameSuggestions.copyKeyPrefix(Filename.parse("Holiday.JPG")));
        assertEquals("readme (", NameSuggestions.copyKeyPrefix(Filename.parse("README")));
        assertEquals("archive.tar (", NameSuggestions.copyKeyPrefix(Filename.parse("archive.tar.gz")));
        // the stem's last sigma is final before " (" and not before ".": the prefix comes from a real copy's key
        assertEquals("οδος (", NameSuggestions.copyKeyPrefix(Filename.parse("ΟΔΟΣ.JPG")));
    }

    /** Names with room for every copy number take a shortcut; it must answer what the full check answers. */
    @Test
    void theShortcutForNamesWithRoomAnswersWhatTheFarCopyCheckAnswers() {
        List<Filename> names = new ArrayList<>();
        for (int bytes = 236; bytes <= 255; bytes++) {
            names.add(Filename.parse("a".repeat(bytes - 4) + ".png"));
            names.add(Filename.parse("b".repeat(bytes)));
            if (bytes % 2 == 0) {
                names.add(Filename.parse("é".repeat((bytes - 4) / 2) + ".jpg"));
                names.add(Filename.parse("Σ".repeat((bytes - 4) / 2) + ".JPG"));
            }
        }
        int shortcuts = 0;
        for (Filename name : names) {
            Filename first = name.withCopyNumber(1);
            String prefix = first.collisionKey().substring(0, first.collisionKey().lastIndexOf(" (1)") + 2);
            String full = name.withCopyNumber(NameSuggestions.FAR_COPY).collisionKey().startsWith(prefix) ? prefix : null;
            assertEquals(full, NameSuggestions.copyKeyPrefix(name), name.display());
            shortcuts += name.hasRoomForCopyNumber(NameSuggestions.FAR_COPY) ? 1 : 0;
        }
        assertTrue(shortcuts > 0 && shortcuts < names.size(), "both paths exercised: " + shortcuts + " of " + names.size());
    }

    @Test
    void aNameWhoseCopiesWouldShortenItsStemHasNoPrefix() {
        assertNull(NameSuggestions.copyKeyPrefix(Filename.parse("a".repeat(243) + ".png"))); // 247 bytes: " (999999)" needs 9
        assertEquals("a".repeat(242) + " (", NameSuggestions.copyKeyPrefix(Filename.parse("a".repeat(242) + ".png")));
    }
}
