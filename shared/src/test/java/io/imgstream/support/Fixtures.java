package io.imgstream.support;

import io.imgstream.application.AdministerAccounts;

/** Users with keys, made through the same use case the admin CLI uses. */
public final class Fixtures {

    private Fixtures() {
    }

    /** Creates {@code name} (if needed) and returns a fresh API key of theirs. */
    public static String userWithKey(AdministerAccounts admin, String name) {
        admin.findOrCreateUser(name);
        return admin.createKey(name, "test").key();
    }
}
