package io.syncexec.stepfunctions.definition;

/** The definition is not valid ASL, or uses a feature this interpreter does not implement. */
public final class InvalidDefinitionException extends Exception {
    public InvalidDefinitionException(String message) {
        super(message, null, false, false);
    }
}
