package io.syncexec.standins;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository root: the folder holding template.yaml (and node_modules/, events/, statemachine/). */
public final class RepositoryRoot {

    /** System property the parent pom sets for Surefire and Failsafe. */
    public static final String PROPERTY = "syncexec.root";

    private RepositoryRoot() {
    }

    /**
     * Starts at the {@value #PROPERTY} system property, else at the working directory, and walks up
     * to the first folder that holds template.yaml.
     */
    public static Path find() {
        String configured = System.getProperty(PROPERTY, "");
        Path start = Path.of(configured.isBlank() ? System.getProperty("user.dir") : configured)
                .toAbsolutePath().normalize();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("template.yaml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("No template.yaml in " + start + " or above it; set -D"
                + PROPERTY + "=<repository root>");
    }
}
