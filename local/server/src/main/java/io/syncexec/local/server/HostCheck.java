package io.syncexec.local.server;

/**
 * Which {@code Host} (or {@code Origin} host) names this server: 127.0.0.1, localhost or [::1] on its
 * port. Only pages of this origin may talk to it, a guard against DNS rebinding.
 */
record HostCheck(int port) {

    boolean allows(String host) {
        if (host == null) {
            return true; // HTTP/1.0 without Host
        }
        String withPort = ":" + port;
        return host.equals("127.0.0.1" + withPort) || host.equals("localhost" + withPort) || host.equals("[::1]" + withPort)
                || host.equals("127.0.0.1") || host.equals("localhost");
    }
}
