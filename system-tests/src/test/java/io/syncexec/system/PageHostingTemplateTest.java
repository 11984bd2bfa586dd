package io.syncexec.system;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The front door in the template CloudFormation deploys (SAM-transformed): the consumer page in a
 * private bucket behind CloudFront with Origin Access Control and strict headers, and, when
 * {@code JwtIssuer} is empty, a Cognito user pool whose page client the API's JWT authorizer trusts.
 */
class PageHostingTemplateTest {
    private final JsonNode cfn = DeployedTemplate.get();

    @Test
    void thePagesBucketIsPrivateEncryptedAndKept() {
        JsonNode bucket = resource("ConsumerPageBucket", "AWS::S3::Bucket");
        JsonNode block = bucket.path("Properties").path("PublicAccessBlockConfiguration");
        for (String setting : List.of("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")) {
            assertTrue(block.path(setting).asBoolean(), setting);
        }
        assertEquals("AES256", bucket.path("Properties").path("BucketEncryption").path("ServerSideEncryptionConfiguration").path(0)
                .path("ServerSideEncryptionByDefault").path("SSEAlgorithm").asText());
        assertEquals("Retain", bucket.path("DeletionPolicy").asText());
        assertEquals("Retain", bucket.path("UpdateReplacePolicy").asText());
    }

    @Test
    void onlyThisStacksDistributionMayReadTheBucketThroughOriginAccessControl() {
        JsonNode statements = resource("ConsumerPageBucketPolicy", "AWS::S3::BucketPolicy").path("Properties").path("PolicyDocument")
                .path("Statement");
        JsonNode read = statements.path(0);
        assertEquals("Allow", read.path("Effect").asText());
        assertEquals("cloudfront.amazonaws.com", read.path("Principal").path("Service").asText());
        assertEquals("s3:GetObject", read.path("Action").asText());
        String sourceArn = read.path("Condition").path("StringEquals").path("AWS:SourceArn").toString();
        assertTrue(sourceArn.contains(":distribution/${ConsumerPageDistribution}"), sourceArn);
        for (JsonNode statement : statements) {
            assertFalse(statement.path("Effect").asText().equals("Allow") && statement.path("Principal").toString().contains("*"),
                    "nobody else is allowed: " + statement);
        }
        JsonNode oac = resource("ConsumerPageOriginAccessControl", "AWS::CloudFront::OriginAccessControl").path("Properties")
                .path("OriginAccessControlConfig");
        assertEquals("s3", oac.path("OriginAccessControlOriginType").asText());
        assertEquals("always", oac.path("SigningBehavior").asText());
        assertEquals("sigv4", oac.path("SigningProtocol").asText());

        JsonNode distribution = resource("ConsumerPageDistribution", "AWS::CloudFront::Distribution").path("Properties")
                .path("DistributionConfig");
        JsonNode origin = distribution.path("Origins").path(0);
        assertEquals("{\"Fn::GetAtt\":[\"ConsumerPageOriginAccessControl\",\"Id\"]}", origin.path("OriginAccessControlId").toString());
        assertEquals("", origin.path("S3OriginConfig").path("OriginAccessIdentity").asText("missing"), "no legacy OAI");
        assertEquals("redirect-to-https", distribution.path("DefaultCacheBehavior").path("ViewerProtocolPolicy").asText());
        assertEquals("index.html", distribution.path("DefaultRootObject").asText());
        assertEquals("{\"Ref\":\"ConsumerPageHeadersPolicy\"}", distribution.path("DefaultCacheBehavior").path("ResponseHeadersPolicyId").toString());
    }

    @Test
    void thePageIsServedWithAStrictContentSecurityPolicyHstsAndNoFraming() {
        JsonNode headers = resource("ConsumerPageHeadersPolicy", "AWS::CloudFront::ResponseHeadersPolicy").path("Properties")
                .path("ResponseHeadersPolicyConfig").path("SecurityHeadersConfig");
        String csp = headers.path("ContentSecurityPolicy").path("ContentSecurityPolicy").toString();
        assertTrue(csp.contains("script-src 'self';"), "scripts from the page's origin only, no inline script: " + csp);
        assertFalse(csp.contains("unsafe-inline") || csp.contains("unsafe-eval"), csp);
        assertTrue(csp.contains("frame-ancestors 'none'"), csp);
        assertTrue(csp.contains("default-src 'none'"), csp);
        assertTrue(headers.path("StrictTransportSecurity").path("AccessControlMaxAgeSec").asInt() >= 31_536_000, "HSTS for a year at least");
        assertTrue(headers.path("ContentTypeOptions").path("Override").asBoolean(), "X-Content-Type-Options: nosniff");
        assertEquals("DENY", headers.path("FrameOptions").path("FrameOption").asText());
    }

    @Test
    void withoutAnIssuerTheStackCreatesAUserPoolWhosePageClientTheApiTrusts() {
        assertEquals("{\"Fn::Equals\":[{\"Ref\":\"JwtIssuer\"},\"\"]}", cfn.path("Conditions").path("CreateUserPool").toString());
        JsonNode pool = resource("UserPool", "AWS::Cognito::UserPool");
        assertEquals("CreateUserPool", pool.path("Condition").asText());
        assertEquals("Retain", pool.path("DeletionPolicy").asText());
        assertTrue(pool.path("Properties").path("AdminCreateUserConfig").path("AllowAdminCreateUserOnly").asBoolean(), "no self sign-up");
        assertEquals("clients", pool.path("Properties").path("Schema").path(0).path("Name").asText(), "custom:clients");
        assertEquals("CreateUserPool", resource("UserPoolDomain", "AWS::Cognito::UserPoolDomain").path("Condition").asText());

        JsonNode client = resource("ConsumerPageClient", "AWS::Cognito::UserPoolClient");
        assertEquals("CreateUserPool", client.path("Condition").asText());
        JsonNode p = client.path("Properties");
        assertFalse(p.path("GenerateSecret").asBoolean(true), "a public client: no secret");
        assertEquals("[\"code\"]", p.path("AllowedOAuthFlows").toString());
        String pageUrl = output("ConsumerPageUrl").toString();
        assertEquals("[" + pageUrl + "]", p.path("CallbackURLs").toString());
        assertEquals("[" + pageUrl + "]", p.path("LogoutURLs").toString());
        assertFalse(p.path("WriteAttributes").toString().contains("custom:clients"), "a person cannot grant themselves clients");
        assertTrue(p.path("ReadAttributes").toString().contains("custom:clients"));

        JsonNode group = resource("SyncAdminsGroup", "AWS::Cognito::UserPoolGroup");
        assertEquals("sync-admins", group.path("Properties").path("GroupName").asText());
        assertEquals("CreateUserPool", group.path("Condition").asText());

        JsonNode jwt = resource("HttpApi", "AWS::ApiGatewayV2::Api").path("Properties").path("Body").path("components")
                .path("securitySchemes").path("JwtAuthorizer").path("x-amazon-apigateway-authorizer").path("jwtConfiguration");
        assertEquals("{\"Fn::If\":[\"CreateUserPool\",{\"Fn::Sub\":\"https://cognito-idp.${AWS::Region}.${AWS::URLSuffix}/${UserPool}\"},"
                + "{\"Ref\":\"JwtIssuer\"}]}", jwt.path("issuer").toString());
        assertEquals("[{\"Fn::If\":[\"CreateUserPool\",{\"Ref\":\"ConsumerPageClient\"},{\"Ref\":\"JwtAudience\"}]}]",
                jwt.path("audience").toString());
    }

    @Test
    void thePageCallsTheApiFromItsOwnOriginByDefault() {
        JsonNode origins = resource("HttpApi", "AWS::ApiGatewayV2::Api").path("Properties").path("Body").path("x-amazon-apigateway-cors")
                .path("allowOrigins");
        assertTrue(origins.toString().contains("\"CorsForOwnPage\",{\"Fn::Sub\":\"https://${ConsumerPageDistribution.DomainName}\"}"),
                origins.toString());
        for (String output : List.of("ConsumerPageUrl", "ConsumerPageBucketName", "ConsumerPageDistributionId", "SignInIssuer",
                "SignInClientId", "ApiUrl")) {
            assertFalse(output(output).isMissingNode(), "output " + output + " (scripts/publish-page.sh reads it)");
        }
        assertEquals("{\"Fn::Sub\":\"https://${ConsumerPageDistribution.DomainName}/\"}", output("ConsumerPageUrl").toString());
    }

    private JsonNode output(String name) {
        return cfn.path("Outputs").path(name).path("Value");
    }

    private JsonNode resource(String id, String type) {
        Map.Entry<String, JsonNode> found = DeployedTemplate.resources(cfn, type).stream().filter(e -> e.getKey().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " " + id));
        return found.getValue();
    }
}
