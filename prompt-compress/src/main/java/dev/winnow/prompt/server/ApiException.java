package dev.winnow.prompt.server;

/** An HTTP error answer: the status, the request field at fault (or null) and a message saying what to do. */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String field;

    public ApiException(int status, String field, String message) {
        super(message);
        this.status = status;
        this.field = field;
    }

    public int status() {
        return status;
    }

    public String field() {
        return field;
    }
}
