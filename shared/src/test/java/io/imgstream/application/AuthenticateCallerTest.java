package io.imgstream.application;

import io.imgstream.domain.ApiKey;
import io.imgstream.domain.Caller;
import io.imgstream.domain.ErrorCode;
import io.imgstream.domain.ImgStreamException;
import io.imgstream.support.IntegrationTestProperties;
import io.imgstream.dev.TestDatabase;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

@MicronautTest(startApplication = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthenticateCallerTest implements IntegrationTestProperties {

    @Inject
    AuthenticateCaller authenticate;
    @Inject
    AdministerAccounts admin;

    private String key;

    @BeforeEach
    void setUp() {
        TestDatabase.truncateAll();
        admin.createUser("alice");
        key = admin.createKey("alice", "test").key();
    }

    private static void assertRefused(ErrorCode code, Executable call) {
        ImgStreamException e = assertThrows(ImgStreamException.class, call);
        assertEquals(code, e.code());
    }

    @Test
    void acceptsTheKeyAsBearerOrHeader() {
        Caller viaBearer = authenticate.authenticate("Bearer " + key, null);
        Caller viaHeader = authenticate.authenticate(null, key);
        assertEquals(viaBearer, viaHeader);
        assertEquals(admin.listUsers().get(0).id(), viaBearer.userId());
    }

    @Test
    void acceptsTheSameKeyInBothHeaders() {
        authenticate.authenticate("Bearer " + key, key);
    }

    @Test
    void refusesTwoDifferentKeysWith400() {
        String other = admin.createKey("alice", "second").key();
        assertRefused(ErrorCode.CONFLICTING_API_KEYS, () -> authenticate.authenticate("Bearer " + key, other));
    }

    @Test
    void refusesAMissingKey() {
        assertRefused(ErrorCode.UNAUTHORIZED, () -> authenticate.authenticate(null, null));
        assertRefused(ErrorCode.UNAUTHORIZED, () -> authenticate.authenticate("", " "));
    }

    @Test
    void refusesOtherAuthorizationSchemes() {
        assertRefused(ErrorCode.UNAUTHORIZED, () -> authenticate.authenticate("Basic " + key, null));
    }

    @Test
    void refusesAMalformedKeyAndABadChecksum() {
        assertRefused(ErrorCode.UNAUTHORIZED, () -> authenticate.authenticate("Bearer nonsense", null));
        String badSum = key.substring(0, key.length() - 1) + (key.endsWith("0") ? "1" : "0");
        assertRefused(ErrorCode.UNAUTHORIZED, () -> authenticate.authenticate(null, badSum));
    }

    @Test
    void refusesAWellFormedUnknownKey() {
        assertRefused(ErrorCode.UNAUTHORIZED, () -> authenticate.authenticate(null, ApiKey.generate().reveal()));
    }

    @Test
    void refusesARevokedKeyAndKeepsTheOthers() {
        var issued = admin.createKey("alice", "to revoke");
        admin.revokeKey("alice", issued.info().id());
        assertRefused(ErrorCode.UNAUTHORIZED, () -> authenticate.authenticate(null, issued.key()));
        authenticate.authenticate(null, key);
    }

    @Test
    void refusesKeysOfADisabledUser() {
        admin.setActive("alice", false);
        assertRefused(ErrorCode.UNAUTHORIZED, () -> authenticate.authenticate(null, key));
    }

    @Test
    void rotationIssuesANewKeyAndRevokesTheOld() {
        var old = admin.createKey("alice", "old");
        var fresh = admin.rotateKey("alice", old.info().id());
        authenticate.authenticate(null, fresh.key());
        assertRefused(ErrorCode.UNAUTHORIZED, () -> authenticate.authenticate(null, old.key()));
    }

    @Test
    void storesOnlyTheHashOfAKey() {
        assertEquals(0, TestDatabase.count("select count(*) from api_keys where key_hint like '%" + key.substring(8, 20) + "%'"));
        assertEquals(2, TestDatabase.count("select count(*) from api_keys where octet_length(key_hash) = 32") + 1);
    }
}
