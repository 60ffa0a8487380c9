package io.imgstream.dev;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a test JVM creates through {@link Scratch} is gone, contents and all, once that JVM has exited. */
class ScratchTest {

    /** Run in its own JVM: makes a directory with a nested file and a file, prints their paths, exits. */
    public static void main(String[] args) throws Exception {
        Path dir = Scratch.directory("scratch-test");
        Files.createDirectories(dir.resolve("a/b"));
        Files.writeString(dir.resolve("a/b/c.txt"), "x");
        Path file = Scratch.file("scratch-test", ".txt");
        Files.writeString(file, "y");
        System.out.println(dir);
        System.out.println(file);
    }

    @Test
    void removesWhatItMadeWhenTheJvmExits() throws Exception {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ScratchTest.class.getName()).redirectErrorStream(true).start();
        List<String> out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertTrue(process.waitFor(1, TimeUnit.MINUTES));
        assertEquals(0, process.exitValue(), String.join("\n", out));
        assertEquals(2, out.size(), String.join("\n", out));
        for (String path : out) {
            assertTrue(Path.of(path).isAbsolute(), path);
            assertFalse(Files.exists(Path.of(path)), path + " is left behind");
        }
    }
}
