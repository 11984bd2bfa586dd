package io.syncexec.connector;

import io.syncexec.lambda.FunctionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.URI;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where a connector may point: https to a public host, checked as written and after DNS. */
class ConnectorUrlsTest {
    private static final ConnectorUrls STRICT = ConnectorUrls.STRICT;
    private static final ConnectorUrls LOCAL = new ConnectorUrls(true, InetAddress::getAllByName);

    @ParameterizedTest
    @ValueSource(strings = {
            // the findings
            "http://169.254.169.254/latest/meta-data/", "http://[fd00:ec2::254]/", "http://metadata.google.internal/",
            "http://10.0.0.1/x", "file:///etc/passwd",
            // the same over https
            "https://169.254.169.254/latest/meta-data/", "https://[fd00:ec2::254]/", "https://metadata.google.internal/",
            "https://metadata/", "https://instance-data.ec2.internal/", "https://metadata.azure.com/", "https://10.0.0.1/x",
            // plain http, other schemes
            "http://example.com/", "ftp://example.com/", "gopher://example.com/", "jar:file:/x.jar!/", "//example.com/", "example.com",
            // credentials
            "https://user:pw@example.com/", "https://user@example.com/", "https://example.com@10.0.0.1/",
            // loopback in every spelling
            "https://localhost/", "https://LOCALHOST./", "https://api.localhost/", "https://127.0.0.1/", "https://127.1.2.3/",
            "https://[::1]/", "https://[::ffff:127.0.0.1]/", "https://0.0.0.0/", "https://[::]/",
            // numeric spellings that resolve as loopback or private
            "https://2130706433/", "https://0x7f000001/", "https://0x7f.0.0.1/", "https://017700000001/", "https://127.000.000.001/",
            "https://10.1/", "https://127.1/",
            // private, shared, link-local, unique-local, site-local, multicast, reserved
            "https://172.16.0.1/", "https://172.31.255.255/", "https://192.168.0.10/", "https://100.64.0.1/",
            "https://100.100.100.200/", "https://169.254.0.1/", "https://[fe80::1]/", "https://[febf::1]/", "https://[fc00::1]/",
            "https://[fd12:3456::1]/", "https://[fec0::1]/", "https://224.0.0.1/", "https://[ff02::1]/", "https://240.0.0.1/",
            "https://255.255.255.255/", "https://192.0.0.1/", "https://198.18.0.1/", "https://[2001:db8::1]/",
            // IPv4 embedded in IPv6
            "https://[::ffff:10.0.0.1]/", "https://[::ffff:169.254.169.254]/", "https://[64:ff9b::a9fe:a9fe]/",
            "https://[2002:a9fe:a9fe::1]/", "https://[::a00:1]/", "https://[fe80::1%25eth0]/",
            // names that are not public
            "https://intranet/", "https://printer.local/", "https://db.corp.internal/", "https://kubernetes.default/",
            "https://exa mple.com/", "https://-bad-.example.com/", "https://[not-an-ip]/",
            "https://a234567890123456789012345678901234567890123456789012345678901234.example.com/",
            "https://bücher.example/", "https://exa_mple.com/"})
    void refusedAtPut(String url) {
        assertTrue(STRICT.refusal(url).isPresent(), url + " must be refused");
    }

    @Test
    void aNameLongerThanDnsAllowsIsRefused() {
        assertTrue(STRICT.refusal("https://" + "a.".repeat(130) + "example.com/").isPresent());
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://example.com/2026-01-01", "https://api.example.com:8443/v1?d=2026-01-01",
            "https://8.8.8.8/", "https://[2606:4700::1111]/", "https://EXAMPLE.com./x", "https://xn--bcher-kva.example/"})
    void allowedAtPut(String url) {
        assertEquals(java.util.Optional.empty(), STRICT.refusal(url), url);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8080/x", "http://localhost:9000/", "https://[::1]:8443/", "http://api.localhost/"})
    void theLocalSettingAllowsLoopbackOnly(String url) {
        assertEquals(java.util.Optional.empty(), LOCAL.refusal(url), url);
        assertTrue(STRICT.refusal(url).isPresent(), url);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://10.0.0.1/", "http://169.254.169.254/", "http://example.com/", "http://metadata.google.internal/",
            "https://user:pw@localhost/"})
    void theLocalSettingStillRefusesEverythingElse(String url) {
        assertTrue(LOCAL.refusal(url).isPresent(), url);
    }

    @Test
    void noEnvironmentVariableOpensLoopbackToADeployedFunction() {
        // The old local-mode switch, set on a deployed function: connectors stay strict.
        FunctionEnvironment deployed = FunctionEnvironment.onLambda(Map.of("CONNECTOR_ALLOW_LOOPBACK_HTTP", "true"));
        assertFalse(deployed.connectorUrls().loopbackAllowed());
        assertTrue(deployed.connectorUrls().refusal("http://127.0.0.1:8080/data").isPresent());
    }

    @Test
    void aHostIsRefusedWhenAnyOfItsAddressesIsInside() {
        ConnectorUrls urls = new ConnectorUrls(false, host -> new InetAddress[]{
                InetAddress.getByName("93.184.215.14"), InetAddress.getByName("10.0.0.7")});

        ConnectorException error = assertThrows(ConnectorException.class,
                () -> urls.resolve(URI.create("https://mixed.example.com/"), "destinationUrl"));

        assertFalse(error.retryable());
        assertEquals("http connector: config.destinationUrl resolves to a refused address (a private address)", error.getMessage());
    }

    @Test
    void aPublicAnswerIsKept() throws Exception {
        InetAddress publicAddress = InetAddress.getByName("93.184.215.14");
        ConnectorUrls urls = new ConnectorUrls(false, host -> new InetAddress[]{publicAddress});

        assertEquals(publicAddress, urls.resolve(URI.create("https://ok.example.com/"), "sourceUrl")[0]);
    }
}
