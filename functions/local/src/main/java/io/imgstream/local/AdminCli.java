package io.imgstream.local;

import io.imgstream.dev.EmbeddedPostgresServer;
import io.imgstream.dev.SchemaMigrator;
import io.imgstream.application.AdministerAccounts;
import io.imgstream.config.EnvironmentCheck;
import io.imgstream.config.InvalidConfigurationException;
import io.imgstream.domain.ApiKeyInfo;
import io.imgstream.domain.ImgStreamException;
import io.imgstream.domain.User;
import io.micronaut.context.ApplicationContext;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code imgstream admin …}: users, API keys and the schema. Works against {@code DATABASE_URL} when set
 * (for example Cloud SQL through the Cloud SQL Auth Proxy), else against the local emulator's database:
 * the running one, or the embedded one started for the command.
 */
final class AdminCli {

    static final String USAGE = """
            usage: imgstream admin <command>
              users create <name>             create a user and print their first API key (shown once)
              users list                      list users
              users disable <name>            refuse every key of a user
              users enable <name>
              keys create <user> [label]      print a new API key (shown once)
              keys list <user>                list a user's keys (hints only)
              keys revoke <user> <key-id>
              keys rotate <user> <key-id>     print a new key, then revoke the old one
              db migrate                      apply pending migrations (the production deploy step)
              db reset                        drop everything and migrate (ENVIRONMENT=development only)
            """;

    private AdminCli() {
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (args.length < 2) {
            err.print(USAGE);
            return 2;
        }
        try {
            EnvironmentCheck.verify(env); // before the database is touched
            try (Database db = Database.open(env)) {
                return dispatch(args, db, env, out, err);
            }
        } catch (ImgStreamException e) {
            err.println("imgstream admin: " + e.detail());
            return 1;
        } catch (InvalidConfigurationException | IllegalArgumentException | IllegalStateException e) {
            err.println("imgstream admin: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            err.println("imgstream admin: " + e);
            return 1;
        }
    }

    private static int dispatch(String[] args, Database db, Map<String, String> env, PrintStream out, PrintStream err)
            throws Exception {
        String command = args[0] + " " + args[1];
        List<String> rest = Arrays.asList(args).subList(2, args.length);
        if (command.equals("db migrate")) {
            int applied = SchemaMigrator.migrate(db.url());
            out.println(applied + " migration(s) applied");
            return 0;
        }
        if (command.equals("db reset")) {
            if (!"development".equals(env.getOrDefault("ENVIRONMENT", ""))) {
                err.println("imgstream admin: db reset is refused unless ENVIRONMENT=development");
                return 3;
            }
            SchemaMigrator.reset(db.url());
            out.println("database reset");
            return 0;
        }
        if (db.local()) {
            if (SchemaMigrator.pending(db.url()) > 0) { // Flyway's migrate logs three lines even when up to date
                SchemaMigrator.migrate(db.url());
            }
        } else {
            // A deployed database is migrated by `db migrate` only, the deploy step: a key or user command run with a newer
            // CLI must not change the schema under the running functions.
            int pending = SchemaMigrator.pending(db.url());
            if (pending > 0) {
                err.println("imgstream admin: the database at DATABASE_URL lacks " + pending + " migration(s) this version"
                        + " needs; apply them with `imgstream admin db migrate` (the deploy step), then run the command again");
                return 1;
            }
        }
        try (ApplicationContext ctx = context(db.url(), Path.of(env.getOrDefault("LOCAL_STORAGE_DIR", ".imgstream/storage")))) {
            AdministerAccounts admin = ctx.getBean(AdministerAccounts.class);
            switch (command) {
                case "users create" -> {
                    User user = admin.createUser(arg(rest, 0, "name"));
                    AdministerAccounts.IssuedKey key = admin.createKey(user.name(), "initial");
                    err.println("user " + user.name() + " created; their first API key (shown once):");
                    out.println(key.key());
                }
                case "users list" -> admin.listUsers().forEach(u ->
                        out.println(u.name() + "\t" + (u.active() ? "active" : "disabled") + "\t" + u.createdAt()));
                case "users disable" -> {
                    admin.setActive(arg(rest, 0, "name"), false);
                    out.println("disabled");
                }
                case "users enable" -> {
                    admin.setActive(arg(rest, 0, "name"), true);
                    out.println("enabled");
                }
                case "keys create" -> out.println(admin.createKey(arg(rest, 0, "user"),
                        rest.size() > 1 ? String.join(" ", rest.subList(1, rest.size())) : null).key());
                case "keys list" -> {
                    for (ApiKeyInfo k : admin.listKeys(arg(rest, 0, "user"))) {
                        out.println(k.id() + "\t" + k.hint() + "\t" + (k.revoked() ? "revoked " + k.revokedAt() : "active")
                                + "\t" + k.createdAt() + (k.label() == null ? "" : "\t" + k.label()));
                    }
                }
                case "keys revoke" -> {
                    admin.revokeKey(arg(rest, 0, "user"), keyId(arg(rest, 1, "key-id")));
                    out.println("revoked");
                }
                case "keys rotate" -> out.println(admin.rotateKey(arg(rest, 0, "user"),
                        keyId(arg(rest, 1, "key-id"))).key());
                default -> {
                    err.print(USAGE);
                    return 2;
                }
            }
        }
        return 0;
    }

    private static UUID keyId(String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + value + "' is not a key id; `keys list <user>` shows them");
        }
    }

    private static String arg(List<String> rest, int i, String name) {
        if (rest.size() <= i) {
            throw new IllegalArgumentException("missing <" + name + ">");
        }
        return rest.get(i);
    }

    /** A Micronaut context of the shared library on one database, as the functions build it. */
    static ApplicationContext context(String databaseUrl, Path storage) {
        Map<String, Object> props = new HashMap<>();
        props.put("imgstream.database.url", databaseUrl);
        props.put("imgstream.storage.local-dir", storage.toString());
        props.put("imgstream.storage.bucket", "");
        return ApplicationContext.builder().properties(props).deduceEnvironment(false).start();
    }

    /**
     * The database the command works on, whether it is the local emulator's (its home's PostgreSQL, migrated by the
     * command as the emulator would) rather than one named by {@code DATABASE_URL}, and what to stop afterwards.
     */
    record Database(String url, boolean local, EmbeddedPostgresServer started, HomeLock lock) implements AutoCloseable {

        static Database open(Map<String, String> env) throws Exception {
            String url = env.get("DATABASE_URL");
            if (url != null && !url.isBlank()) {
                return new Database(url, false, null, null);
            }
            LocalSettings settings = LocalSettings.fromEnvironment(env);
            String running = LocalJson.readDatabase(settings.localJson());
            if (running != null && reachable(running)) {
                return new Database(running, true, null, null);
            }
            // No emulator answers: start the home's PostgreSQL for this command, holding the home like an emulator would.
            HomeLock lock = HomeLock.acquire(settings.home());
            try {
                EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(settings.postgresData(), 0, true);
                pg.createDatabase(LocalEmulator.DATABASE);
                return new Database(pg.jdbcUrl(LocalEmulator.DATABASE), true, pg, lock);
            } catch (Exception | Error e) {
                lock.close();
                throw e;
            }
        }

        private static boolean reachable(String url) {
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setUrl(url);
            ds.setConnectTimeout(2);
            try (Connection c = ds.getConnection()) {
                return c.isValid(2);
            } catch (Exception e) {
                return false;
            }
        }

        @Override
        public void close() throws Exception {
            try {
                if (started != null) {
                    started.close();
                }
            } finally {
                if (lock != null) {
                    lock.close();
                }
            }
        }
    }
}
