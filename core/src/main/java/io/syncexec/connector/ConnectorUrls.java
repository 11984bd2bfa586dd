package io.syncexec.connector;

import java.net.IDN;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where a connector may send requests: {@code https} to a public host. Refused: other schemes,
 * credentials in the URL, loopback, link-local ({@code 169.254.0.0/16}, {@code fe80::/10}),
 * private and unique-local ranges, carrier-grade NAT, multicast and reserved ranges, the cloud
 * metadata names and addresses, and numeric host spellings other than a dotted quad. Checked on
 * the URL as written when a sync is saved ({@link #refusal}) and again on every address the host
 * resolves to when a date is imported ({@link #resolve}).
 *
 * <p>With {@code loopbackAllowed} (given by the local runtime only, never on AWS), {@code http} and
 * {@code https} to loopback hosts are allowed too, so a connector can be tried against a server on
 * the same machine. Private and metadata addresses stay refused.
 */
public final class ConnectorUrls {
    public static final ConnectorUrls STRICT = new ConnectorUrls(false, InetAddress::getAllByName);
    /** Loopback hosts allowed as well: the local runtime's connectors. */
    public static final ConnectorUrls LOOPBACK_ALLOWED = new ConnectorUrls(true, InetAddress::getAllByName);

    private static final Set<String> METADATA_NAMES = Set.of("metadata", "metadata.google.internal", "metadata.goog",
            "instance-data", "instance-data.ec2.internal", "metadata.azure.com", "metadata.packet.net",
            "metadata.platformequinix.com", "kubernetes.default", "kubernetes.default.svc");
    private static final Pattern DOTTED_QUAD = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern HOST_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\\.?");

    /** Host name → its addresses; {@link InetAddress#getAllByName} in production. */
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final boolean loopbackAllowed;
    private final Resolver resolver;

    public ConnectorUrls(boolean loopbackAllowed, Resolver resolver) {
        this.loopbackAllowed = loopbackAllowed;
        this.resolver = resolver;
    }

    public boolean loopbackAllowed() {
        return loopbackAllowed;
    }

    /**
     * Why {@code text} may not be a connector URL, without resolving it; empty when it may. The
     * reason never quotes the URL (it may hold a secret).
     */
    public Optional<String> refusal(String text) {
        URI uri;
        try {
            uri = new URI(text.strip());
        } catch (URISyntaxException e) {
            return Optional.of("is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            return Optional.of("must be an https URL");
        }
        if (uri.getRawUserInfo() != null || (uri.getRawAuthority() != null && uri.getRawAuthority().contains("@"))) {
            return Optional.of("must not contain credentials; use config.sourceToken or config.destinationToken");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            return Optional.of("has no valid host");
        }
        boolean loopback;
        if (host.startsWith("[")) {
            InetAddress address;
            try {
                address = InetAddress.getByName(host); // a literal: no lookup
            } catch (UnknownHostException e) {
                return Optional.of("has no valid host");
            }
            if (address instanceof Inet6Address v6 && v6.getScopedInterface() != null || host.contains("%")) {
                return Optional.of("must not name a network interface");
            }
            Optional<String> blocked = blocked(address);
            if (blocked.isPresent()) {
                return blocked;
            }
            loopback = address.isLoopbackAddress();
        } else {
            String name = host.toLowerCase(Locale.ROOT);
            if (name.endsWith(".")) {
                name = name.substring(0, name.length() - 1);
            }
            if (name.length() > 253 || !HOST_NAME.matcher(ascii(name)).matches()) {
                return Optional.of("has no valid host");
            }
            String last = name.substring(name.lastIndexOf('.') + 1);
            if (last.chars().allMatch(Character::isDigit) || name.startsWith("0x") || name.contains(".0x")) {
                if (!DOTTED_QUAD.matcher(name).matches()) {
                    return Optional.of("must write an IPv4 address as four decimal numbers");
                }
                InetAddress address;
                try {
                    address = InetAddress.getByName(name);
                } catch (UnknownHostException e) {
                    return Optional.of("has no valid host");
                }
                Optional<String> blocked = blocked(address);
                if (blocked.isPresent()) {
                    return blocked;
                }
                loopback = address.isLoopbackAddress();
            } else {
                if (METADATA_NAMES.contains(name)) {
                    return Optional.of("must not point at a cloud metadata service");
                }
                loopback = name.equals("localhost") || name.endsWith(".localhost");
                if (loopback && !loopbackAllowed) {
                    return Optional.of("must point at a public host, not a loopback one");
                }
                if (!loopback && (name.endsWith(".internal") || name.endsWith(".local") || !name.contains("."))) {
                    return Optional.of("must point at a public host (a fully qualified name)");
                }
            }
        }
        if (scheme.equals("http") && !(loopbackAllowed && loopback)) {
            return Optional.of("must be an https URL");
        }
        return Optional.empty();
    }

    /**
     * The addresses of {@code uri}'s host, every one of them allowed; a permanent error when the
     * URL or any address is refused (a host that also resolves inside is refused as a whole).
     */
    public InetAddress[] resolve(URI uri, String name) throws ConnectorException {
        Optional<String> refused = refusal(uri.toString());
        if (refused.isPresent()) {
            throw ConnectorException.permanent("http connector: config." + name + " " + refused.get());
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(uri.getHost().startsWith("[")
                    ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost());
        } catch (UnknownHostException e) {
            throw ConnectorException.retryable("http connector: config." + name + ": the host does not resolve");
        }
        if (addresses.length == 0) {
            throw ConnectorException.retryable("http connector: config." + name + ": the host does not resolve");
        }
        for (InetAddress address : addresses) {
            Optional<String> blocked = blocked(address);
            if (blocked.isPresent()) {
                throw ConnectorException.permanent("http connector: config." + name + " resolves to a refused address ("
                        + blocked.get().replace("must not point at ", "").replace("must point at a public host, not ", "") + ")");
            }
        }
        return addresses;
    }

    /** Why a connector may not reach {@code address}; empty when it may. */
    Optional<String> blocked(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            byte[] b = v6.getAddress();
            Optional<InetAddress> embedded = embeddedIpv4(b);
            if (embedded.isPresent()) {
                return blocked(embedded.get());
            }
            if ((b[0] & 0xfe) == 0xfc) {
                return Optional.of("must not point at a unique-local address (fc00::/7)"); // fd00:ec2::254 too
            }
            if ((b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0xc0) {
                return Optional.of("must not point at a site-local address (fec0::/10)");
            }
            if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x01 && b[2] == 0x0d && (b[3] & 0xff) == 0xb8) {
                return Optional.of("must not point at a documentation address (2001:db8::/32)");
            }
            if ((b[0] & 0xff) == 0x01 && b[1] == 0 && allZero(b, 2, 8)) {
                return Optional.of("must not point at a discard address (100::/64)");
            }
        }
        if (address.isLoopbackAddress()) {
            return loopbackAllowed ? Optional.empty() : Optional.of("must point at a public host, not a loopback one");
        }
        if (address.isLinkLocalAddress()) {
            return Optional.of("must not point at a link-local address");
        }
        if (address.isAnyLocalAddress()) {
            return Optional.of("must not point at an unspecified address");
        }
        if (address.isSiteLocalAddress()) {
            return Optional.of("must not point at a private address");
        }
        if (address.isMulticastAddress()) {
            return Optional.of("must not point at a multicast address");
        }
        if (address instanceof Inet4Address) {
            byte[] b = address.getAddress();
            int a0 = b[0] & 0xff;
            int a1 = b[1] & 0xff;
            int a2 = b[2] & 0xff;
            if (a0 == 0 || a0 >= 240) {
                return Optional.of("must not point at a reserved address");
            }
            if (a0 == 100 && (a1 & 0xc0) == 64) {
                return Optional.of("must not point at a shared (carrier-grade NAT) address"); // 100.100.100.200 too
            }
            if (a0 == 192 && a1 == 0 && (a2 == 0 || a2 == 2) || a0 == 198 && (a1 & 0xfe) == 18
                    || a0 == 198 && a1 == 51 && a2 == 100 || a0 == 203 && a1 == 0 && a2 == 113) {
                return Optional.of("must not point at a reserved address");
            }
        }
        return Optional.empty();
    }

    /** The name in ASCII (punycode), or an empty string when it is not a valid IDN. */
    private static String ascii(String name) {
        try {
            return IDN.toASCII(name, IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    /** The IPv4 address inside an IPv4-mapped, -compatible, NAT64 (64:ff9b::/96) or 6to4 (2002::/16) address. */
    private static Optional<InetAddress> embeddedIpv4(byte[] b) {
        byte[] v4 = null;
        if (allZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff
                || allZero(b, 0, 12) && !allZero(b, 12, 16) && !(allZero(b, 12, 15) && b[15] == 1)) {
            v4 = java.util.Arrays.copyOfRange(b, 12, 16);
        } else if (b[0] == 0 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b && allZero(b, 4, 12)) {
            v4 = java.util.Arrays.copyOfRange(b, 12, 16);
        } else if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
            v4 = java.util.Arrays.copyOfRange(b, 2, 6);
        }
        if (v4 == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByAddress(v4));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
