package io.imgstream.application;

import io.imgstream.application.port.UserAccounts;
import io.imgstream.domain.ApiKey;
import io.imgstream.domain.ApiKeyInfo;
import io.imgstream.domain.ErrorCode;
import io.imgstream.domain.ImgStreamException;
import io.imgstream.domain.User;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.UUID;

/** Users and API keys, for the admin CLI and the local emulator. */
@Singleton
public class AdministerAccounts {

    private final UserAccounts accounts;

    public AdministerAccounts(UserAccounts accounts) {
        this.accounts = accounts;
    }

    /** A key just created: the only moment the key itself is known. */
    public record IssuedKey(ApiKeyInfo info, String key) {
    }

    public User createUser(String name) {
        return accounts.createUser(name);
    }

    public User findOrCreateUser(String name) {
        return accounts.findUser(name).orElseGet(() -> accounts.createUser(name));
    }

    public List<User> listUsers() {
        return accounts.listUsers();
    }

    public void setActive(String userName, boolean active) {
        accounts.setActive(user(userName).id(), active);
    }

    public IssuedKey createKey(String userName, String label) {
        User user = user(userName);
        ApiKey key = ApiKey.generate();
        ApiKeyInfo info = accounts.addKey(user.id(), key.hash(), key.hint(), label);
        return new IssuedKey(info, key.reveal());
    }

    public List<ApiKeyInfo> listKeys(String userName) {
        return accounts.listKeys(user(userName).id());
    }

    public void revokeKey(String userName, UUID keyId) {
        if (!accounts.revokeKey(user(userName).id(), keyId)) {
            throw new ImgStreamException(ErrorCode.NOT_FOUND, "No active key " + keyId + " for user " + userName + ".");
        }
    }

    /** A new key first, then the old one revoked: a client switching over is never left without a key. */
    public IssuedKey rotateKey(String userName, UUID oldKeyId) {
        IssuedKey fresh = createKey(userName, "rotated from " + oldKeyId);
        revokeKey(userName, oldKeyId);
        return fresh;
    }

    private User user(String name) {
        return accounts.findUser(name)
                .orElseThrow(() -> new ImgStreamException(ErrorCode.NOT_FOUND, "No user named '" + name + "'."));
    }
}
