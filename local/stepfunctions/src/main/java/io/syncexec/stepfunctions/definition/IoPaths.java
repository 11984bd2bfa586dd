package io.syncexec.stepfunctions.definition;

/** A state's InputPath and OutputPath; null means the ASL {@code null}: the state sees or passes {@code {}}. */
public record IoPaths(String inputPath, String outputPath) {
}
