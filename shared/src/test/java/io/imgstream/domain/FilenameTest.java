package io.imgstream.domain;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.text.Normalizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FilenameTest {

    @Test
    void caseVariantsShareOneCollisionKey() {
        assertEquals(Filename.parse("IMG_1.JPG").collisionKey(), Filename.parse("img_1.jpg").collisionKey());
    }

    @Test
    void nfdAndNfcFormsCollideAndAreStoredAsNfc() {
        String nfd = Normalizer.normalize("café.png", Normalizer.Form.NFD);
        Filename parsed = Filename.parse(nfd);
        assertEquals("café.png", parsed.display());
        assertEquals(Filename.parse("CAFÉ.PNG").collisionKey(), parsed.collisionKey());
    }

    @Test
    void differentNamesDoNotCollide() {
        assertNotEquals(Filename.parse("a.jpg").collisionKey(), Filename.parse("b.jpg").collisionKey());
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x.png", "a/b.png", "a\\b.png", ".", "..", "a\u0000b.png", "a\rb.png", "a\nb.png",
            "evil\u202Egnp.exe", "\u2066x.png", "", " ", "tab\t.png", "\uFFFD\uFFFD.png", "lone\uD800.png"})
    void refusesNamesThatAreNotSafeBaseNames(String raw) {
        ImgStreamException e = assertThrows(ImgStreamException.class, () -> Filename.parse(raw));
        assertEquals(ErrorCode.INVALID_FILENAME, e.code());
        assertFalse(Filename.isValid(raw));
    }

    @Test
    void acceptsExactly255BytesAndRefuses256() {
        assertTrue(Filename.isValid("a".repeat(251) + ".png"));
        assertFalse(Filename.isValid("a".repeat(252) + ".png"));
        // 2-byte characters: 127 × 2 + ".jpg" (4) = 258 bytes
        assertFalse(Filename.isValid("é".repeat(127) + ".jpg"));
    }

    @Test
    void renameNumbersBeforeTheExtension() {
        Filename f = Filename.parse("Holiday.JPG");
        assertEquals("Holiday (1).JPG", f.withCopyNumber(1).display());
        assertEquals("Holiday (12).JPG", f.withCopyNumber(12).display());
        assertEquals(".profile (2)", Filename.parse(".profile").withCopyNumber(2).display());
        assertEquals("README (1)", Filename.parse("README").withCopyNumber(1).display());
        assertEquals("archive.tar (1).gz", Filename.parse("archive.tar.gz").withCopyNumber(1).display());
    }

    @Test
    void hasRoomForACopyNumberWhileNameAndNumberFitIn255Bytes() {
        assertTrue(Filename.parse("a".repeat(242) + ".png").hasRoomForCopyNumber(999_999)); // 246 + 9 bytes
        assertFalse(Filename.parse("a".repeat(243) + ".png").hasRoomForCopyNumber(999_999));
        assertTrue(Filename.parse("a".repeat(243) + ".png").hasRoomForCopyNumber(99_999));
        assertFalse(Filename.parse("é".repeat(122) + ".jpg").hasRoomForCopyNumber(999_999)); // 248 bytes of UTF-8
    }

    @Test
    void renameOfALongNameStaysWithin255Bytes() {
        Filename longName = Filename.parse("é".repeat(125) + ".jpg");
        Filename renamed = longName.withCopyNumber(1000);
        assertTrue(Filename.isValid(renamed.display()));
        assertTrue(renamed.display().endsWith(" (1000).jpg"));
    }
}
