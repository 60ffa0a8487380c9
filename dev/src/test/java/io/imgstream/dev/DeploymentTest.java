package io.imgstream.dev;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeploymentTest {

    @Test
    void readsTheFunctionsTerraformDeploysInTheirOrder() {
        List<Deployment.Function> functions = Deployment.functions();
        assertEquals(List.of("upload", "fetch", "collision-check", "cleanup"),
                functions.stream().map(Deployment.Function::module).toList());
        Deployment.Function check = Deployment.function("collision-check");
        assertEquals("collision_check", check.key());
        assertEquals("collisionCheck", check.jsonName());
        assertEquals("io.imgstream.web.ImgStreamHttpFunction", check.entryPoint());
        assertTrue(check.http());
        assertFalse(Deployment.function("cleanup").http());
        assertEquals("io.imgstream.cleanup.CleanupPushFunction", Deployment.function("cleanup").entryPoint());
        assertEquals("io.imgstream.cleanup.CleanupFunction", Deployment.function("cleanup").emulatorEntryPoint());
        assertEquals(check.entryPoint(), check.emulatorEntryPoint());
    }

    @Test
    void assemblesTheJvmOptionsAsFunctionsTfDoes() {
        Deployment.Function upload = Deployment.function("upload");
        List<String> options = upload.deployedJvmOptions();
        assertEquals("-XX:MaxRAM=" + upload.jvmMemory(), options.get(0));
        assertEquals("-XX:MaxRAMPercentage=70", options.get(1));
        assertEquals(upload.javaToolOptionList(), options.subList(2, options.size()));
        assertTrue(upload.jvmMemory().matches("\\d+[mg]"), upload.jvmMemory());
    }

    /** The jar's copy is the repository's text, not a stale one. */
    @Test
    void theShippedFilesAreTheRepositorysFiles() throws Exception {
        for (String file : List.of("main.tf", "variables.tf", "routes.json")) {
            try (var in = Deployment.class.getResourceAsStream("/io/imgstream/dev/terraform/" + file)) {
                assertEquals(Files.readString(Path.of("../terraform", file)), new String(in.readAllBytes(),
                        java.nio.charset.StandardCharsets.UTF_8), file);
            }
        }
    }
}
