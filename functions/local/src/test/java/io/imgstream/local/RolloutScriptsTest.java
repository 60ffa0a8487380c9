package io.imgstream.local;

import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * terraform/rollback.sh and terraform/rollout.sh run for real against a stand-in for gcloud (and for curl, which reads
 * Cloud Monitoring) that keeps each Cloud Run service's revisions and traffic as the Cloud Run API describes them
 * ({@code status.traffic}, {@code status.latestCreatedRevisionName}, revisions with a Ready condition) and applies
 * {@code update-traffic} to them, so that each test asserts where the traffic ends up.
 */
class RolloutScriptsTest {

    private static final List<String> SERVICES = List.of("imgstream-upload", "imgstream-fetch", "imgstream-collision-check",
            "imgstream-cleanup");
    private static final String FAKE_GCLOUD = """
            #!/usr/bin/env python3
            # Stand-in for gcloud: run services describe / update-traffic, run revisions list, auth print-access-token.
            import json, os, sys
            state = os.environ["FAKE_STATE"]
            args = sys.argv[1:]
            with open(os.path.join(state, "calls"), "a") as log:
                log.write(" ".join(args) + "\\n")
            def load(service):
                with open(os.path.join(state, service + ".json")) as f:
                    return json.load(f)
            def flag(name):
                return args[args.index(name) + 1] if name in args else None
            if args[:2] == ["auth", "print-access-token"]:
                print("token")
            elif args[:3] == ["run", "services", "describe"]:
                s = load(args[3])
                fmt = flag("--format")
                if fmt == "json":
                    print(json.dumps({"status": {"traffic": s["traffic"], "latestCreatedRevisionName": s["revisions"][-1]["name"]}}))
                else:
                    print(s["revisions"][-1]["name"])
            elif args[:3] == ["run", "revisions", "list"]:
                s = load(flag("--service"))
                print(json.dumps([{"metadata": {"name": r["name"], "creationTimestamp": "2026-12-07T10:%02d:00Z" % i},
                                   "status": {"conditions": [{"type": "Ready", "status": "True" if r.get("ready", True) else "False"}]}}
                                  for i, r in enumerate(s["revisions"])]))
            elif args[:3] == ["run", "services", "update-traffic"]:
                s = load(args[3])
                if "--to-latest" in args:
                    s["traffic"] = [{"latestRevision": True, "percent": 100, "revisionName": s["revisions"][-1]["name"]}]
                else:
                    s["traffic"] = [{"revisionName": p.split("=")[0], "percent": int(p.split("=")[1])} for p in flag("--to-revisions").split(",")]
                with open(os.path.join(state, args[3] + ".json"), "w") as f:
                    json.dump(s, f)
            else:
                sys.exit("fake gcloud: unexpected " + " ".join(args))
            """;
    private static final String FAKE_CURL = """
            #!/usr/bin/env python3
            # Stand-in for curl against Cloud Monitoring's timeSeries.list: the request counts of the revision in the filter.
            import json, os, re, sys
            state = os.environ["FAKE_STATE"]
            query = " ".join(sys.argv[1:])
            with open(os.path.join(state, "calls"), "a") as log:
                log.write("curl " + query + "\\n")
            revision = re.search(r'revision_name="([^"]+)"', query).group(1)
            path = os.path.join(state, "metrics-" + revision + ".json")
            print(open(path).read() if os.path.exists(path) else "{}")
            """;

    @TempDir
    Path dir;
    private Path state;
    private Path bin;

    @BeforeEach
    void fakes() throws Exception {
        assumeTrue(onPath("bash") && onPath("python3"), "bash and python3 are needed to run the scripts");
        state = Files.createDirectories(dir.resolve("state"));
        bin = Files.createDirectories(dir.resolve("bin"));
        write(bin.resolve("gcloud"), FAKE_GCLOUD);
        write(bin.resolve("curl"), FAKE_CURL);
        Files.writeString(state.resolve("calls"), "");
    }

    private static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    private static void write(Path file, String content) throws Exception {
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** A service with these revisions (oldest first; a name ending in "!" is not Ready) and this traffic. */
    private void service(String name, List<String> revisions, Map<String, Integer> traffic) throws Exception {
        List<Map<String, Object>> revs = new ArrayList<>();
        for (String r : revisions) {
            revs.add(r.endsWith("!") ? Map.of("name", name + "-" + r.substring(0, r.length() - 1), "ready", false) : Map.of("name", name + "-" + r));
        }
        List<Map<String, Object>> split = new ArrayList<>();
        traffic.forEach((r, p) -> split.add(Map.of("revisionName", name + "-" + r, "percent", p)));
        Files.writeString(state.resolve(name + ".json"), JsonMapper.createDefault().writeValueAsString(Map.of("revisions", revs, "traffic", split)));
    }

    /** Where each service's traffic goes now: revision → percent. */
    @SuppressWarnings("unchecked")
    private Map<String, Integer> traffic(String service) throws Exception {
        Map<String, Object> s = JsonMapper.createDefault().readValue(Files.readAllBytes(state.resolve(service + ".json")), Map.class);
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Map<String, Object> t : (List<Map<String, Object>>) s.get("traffic")) {
            out.put(String.valueOf(t.get("revisionName")).substring(service.length() + 1), ((Number) t.get("percent")).intValue());
        }
        return out;
    }

    private record Run(int exit, String output) {
    }

    private Run run(String script, Map<String, String> extraEnv, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", TerraformFiles.MODULE.resolve(script).toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("PATH", bin + java.io.File.pathSeparator + System.getenv("PATH"));
        env.put("FAKE_STATE", state.toString());
        env.put("PROJECT", "p");
        env.put("REGION", "europe-west1");
        env.put("SERVICES", String.join(" ", SERVICES));
        env.put("ROLLOUT_STATE", dir.resolve("rollout-state").toString());
        env.put("SOAK_SECONDS", "0");
        env.putAll(extraEnv);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
        return new Run(p.exitValue(), out);
    }

    @Test
    void everyScriptParses() throws Exception {
        for (String script : List.of("rollback.sh", "rollout.sh", "smoke-test.sh", "scripts/revisions.sh", "scripts/pipeline-terraform.sh")) {
            Process p = new ProcessBuilder("bash", "-n", TerraformFiles.MODULE.resolve(script).toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertEquals(0, p.waitFor(), script + ": " + out);
            if (!script.startsWith("scripts/revisions")) {
                assertTrue(Files.isExecutable(TerraformFiles.MODULE.resolve(script)), script + " is executable");
            }
        }
    }

    @Test
    void rollbackSendsEveryFunctionToTheRevisionBeforeTheServingOne() throws Exception {
        service("imgstream-upload", List.of("00001", "00002", "00003"), Map.of("00003", 100));
        service("imgstream-fetch", List.of("00001", "00002", "00003"), Map.of("00003", 10, "00002", 90)); // mid-rollout
        service("imgstream-collision-check", List.of("00001", "00002!", "00003"), Map.of("00003", 100)); // 00002 never became Ready
        service("imgstream-cleanup", List.of("00004", "00005", "00006"), Map.of("00005", 100)); // an idle newer revision

        Run run = run("rollback.sh", Map.of());

        assertEquals(0, run.exit(), run.output());
        assertEquals(Map.of("00002", 100), traffic("imgstream-upload"));
        assertEquals(Map.of("00002", 100), traffic("imgstream-fetch"));
        assertEquals(Map.of("00001", 100), traffic("imgstream-collision-check"));
        assertEquals(Map.of("00004", 100), traffic("imgstream-cleanup"));
        assertTrue(run.output().contains("rolled back imgstream-fetch: 100 % -> imgstream-fetch-00002"), run.output());
    }

    @Test
    void rollbackWithoutAnEarlierRevisionChangesThatFunctionNotAndFails() throws Exception {
        service("imgstream-upload", List.of("00001"), Map.of("00001", 100));
        service("imgstream-fetch", List.of("00001", "00002"), Map.of("00002", 100));
        service("imgstream-collision-check", List.of("00001", "00002"), Map.of("00002", 100));
        service("imgstream-cleanup", List.of("00001", "00002"), Map.of("00002", 100));

        Run run = run("rollback.sh", Map.of());

        assertEquals(1, run.exit(), run.output());
        assertTrue(run.output().contains("imgstream-upload: no Ready revision older than imgstream-upload-00001"), run.output());
        assertEquals(Map.of("00001", 100), traffic("imgstream-upload"));
        assertEquals(Map.of("00001", 100), traffic("imgstream-fetch"), "the others are still rolled back");
    }

    @Test
    void aDryRunOnlySaysWhatItWouldDo() throws Exception {
        for (String s : SERVICES) {
            service(s, List.of("00001", "00002"), Map.of("00002", 100));
        }
        Run run = run("rollback.sh", Map.of("DRY_RUN", "1"));
        assertEquals(0, run.exit(), run.output());
        assertTrue(run.output().contains("would route imgstream-cleanup: 100 % -> imgstream-cleanup-00001"), run.output());
        for (String s : SERVICES) {
            assertEquals(Map.of("00002", 100), traffic(s));
        }
        assertTrue(!Files.readString(state.resolve("calls")).contains("update-traffic"));
    }

    /** pin → (the apply adds a revision) → 10 % → check → 50 % → check → 100 % → check → finish. */
    @Test
    void aHealthyReleaseGoesTenFiftyHundredAndEndsOnTheLatestRevision() throws Exception {
        for (String s : SERVICES) {
            service(s, List.of("00001", "00002"), Map.of("00002", 100));
        }
        assertEquals(0, run("rollout.sh", Map.of(), "pin").exit());
        for (String s : SERVICES) {
            assertEquals(Map.of("00002", 100), traffic(s), "pinned by name");
            addRevision(s, "00003"); // what the apply does: a new revision, no traffic
            metrics(s + "-00003", 1000, 10); // 1 %: not above
        }

        for (int percent : List.of(10, 50)) {
            Run shift = run("rollout.sh", Map.of(), "shift", Integer.toString(percent));
            assertEquals(0, shift.exit(), shift.output());
            for (String s : SERVICES) {
                assertEquals(Map.of("00003", percent, "00002", 100 - percent), traffic(s));
            }
            Run check = run("rollout.sh", Map.of(), "check");
            assertEquals(0, check.exit(), check.output());
            assertTrue(check.output().contains("imgstream-fetch: imgstream-fetch-00003 answered 10 of 1000 requests 5xx (at most 0.01)"),
                    check.output());
        }
        assertEquals(0, run("rollout.sh", Map.of(), "shift", "100").exit());
        assertEquals(Map.of("00003", 100), traffic("imgstream-upload"));
        assertEquals(0, run("rollout.sh", Map.of(), "check").exit());
        assertEquals(0, run("rollout.sh", Map.of(), "finish").exit());
        String calls = Files.readString(state.resolve("calls"));
        assertTrue(calls.contains("run services update-traffic imgstream-cleanup --project p --region europe-west1 --to-latest"), calls);
        assertTrue(calls.contains("metric.type=\"run.googleapis.com/request_count\" AND resource.type=\"cloud_run_revision\""
                + " AND resource.labels.service_name=\"imgstream-upload\" AND resource.labels.revision_name=\"imgstream-upload-00003\""), calls);
        assertTrue(calls.contains("aggregation.groupByFields=metric.labels.response_code_class"), calls);
    }

    @Test
    void aReleaseAboveOnePercentFiveHundredsRollsEveryFunctionBackAndFails() throws Exception {
        for (String s : SERVICES) {
            service(s, List.of("00001", "00002"), Map.of("00002", 100));
        }
        assertEquals(0, run("rollout.sh", Map.of(), "pin").exit());
        for (String s : SERVICES) {
            addRevision(s, "00003");
            metrics(s + "-00003", 400, 0);
        }
        metrics("imgstream-collision-check-00003", 400, 5); // 1.25 %
        assertEquals(0, run("rollout.sh", Map.of(), "shift", "10").exit());

        Run check = run("rollout.sh", Map.of(), "check");

        assertEquals(1, check.exit(), check.output());
        assertTrue(check.output().contains("imgstream-collision-check: imgstream-collision-check-00003 answered 5 of 400 requests 5xx, above 0.01"),
                check.output());
        for (String s : SERVICES) {
            assertEquals(Map.of("00002", 100), traffic(s), s + " back on the revision the rollout started from");
        }
    }

    @Test
    void aFunctionTheApplyDidNotChangeStaysWhereItIs() throws Exception {
        for (String s : SERVICES) {
            service(s, List.of("00001", "00002"), Map.of("00002", 100));
        }
        assertEquals(0, run("rollout.sh", Map.of(), "pin").exit());
        addRevision("imgstream-upload", "00003");
        Run shift = run("rollout.sh", Map.of(), "shift", "50");
        assertEquals(0, shift.exit(), shift.output());
        assertEquals(Map.of("00003", 50, "00002", 50), traffic("imgstream-upload"));
        assertEquals(Map.of("00002", 100), traffic("imgstream-fetch"));
        assertTrue(shift.output().contains("imgstream-fetch: the apply created no new revision; it stays on imgstream-fetch-00002"));
        assertEquals(0, run("rollout.sh", Map.of(), "check").exit(), "no requests yet is no 5xx");
    }

    @Test
    void shiftingBeforePinningRefuses() throws Exception {
        for (String s : SERVICES) {
            service(s, List.of("00001", "00002"), Map.of("00002", 100));
        }
        Run run = run("rollout.sh", Map.of(), "shift", "10");
        assertEquals(1, run.exit(), run.output());
        assertTrue(run.output().contains("run rollout.sh pin before the apply"), run.output());
    }

    @SuppressWarnings("unchecked")
    private void addRevision(String service, String revision) throws Exception {
        Path file = state.resolve(service + ".json");
        Map<String, Object> s = JsonMapper.createDefault().readValue(Files.readAllBytes(file), Map.class);
        List<Object> revisions = new ArrayList<>((List<Object>) s.get("revisions"));
        revisions.add(Map.of("name", service + "-" + revision));
        Map<String, Object> updated = new HashMap<>(s);
        updated.put("revisions", revisions);
        Files.writeString(file, JsonMapper.createDefault().writeValueAsString(updated));
    }

    /** What Cloud Monitoring answers for one revision: its requests by response code class. */
    private void metrics(String revision, long total, long errors) throws Exception {
        List<Map<String, Object>> series = new ArrayList<>();
        series.add(Map.of("metric", Map.of("labels", Map.of("response_code_class", "2xx")),
                "points", List.of(Map.of("value", Map.of("int64Value", Long.toString(total - errors))))));
        if (errors > 0) {
            series.add(Map.of("metric", Map.of("labels", Map.of("response_code_class", "5xx")),
                    "points", List.of(Map.of("value", Map.of("int64Value", Long.toString(errors))))));
        }
        Files.writeString(state.resolve("metrics-" + revision + ".json"), JsonMapper.createDefault().writeValueAsString(Map.of("timeSeries", series)));
    }
}
