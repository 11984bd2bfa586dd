package io.syncexec.local.template;

/** The template asks for something that cannot be resolved or run locally; the message names it and where. */
public final class TemplateException extends RuntimeException {

    public TemplateException(String message) {
        super(message);
    }
}
