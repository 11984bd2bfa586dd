"""scripts/publish_page.py against moto's in-process AWS (no network, no account): the stack's outputs
become config.json, the page's files land in the bucket with their types, stale files go, the
distribution is invalidated; a stack without the outputs changes nothing.

Run: python3 -m unittest discover -s system-tests/src/test/python -p 'test_publish_page.py'
(PublishPageTest runs it in `mvn verify`).
"""
import io
import json
import os
import sys
import tempfile
import unittest

os.environ.update({"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "eu-west-1"})
for variable in ("AWS_PROFILE", "AWS_ENDPOINT_URL"):
    os.environ.pop(variable, None)

import boto3  # noqa: E402
from moto import mock_aws  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import publish_page  # noqa: E402


def stack_template(outputs):
    return json.dumps({"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}},
                       "Outputs": {name: {"Value": value} for name, value in outputs.items()}})


@mock_aws
class PublishPageTest(unittest.TestCase):
    def setUp(self):
        self.session = boto3.Session(region_name="eu-west-1")
        self.s3 = self.session.client("s3")
        self.s3.create_bucket(Bucket="page-bucket", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
        self.s3.put_object(Bucket="page-bucket", Key="js/removed.js", Body=b"old")
        self.cloudfront = self.session.client("cloudfront")
        self.distribution = self.cloudfront.create_distribution(DistributionConfig={
            "CallerReference": "test", "Comment": "page", "Enabled": True,
            "Origins": {"Quantity": 1, "Items": [{"Id": "page", "DomainName": "page-bucket.s3.eu-west-1.amazonaws.com",
                                                  "S3OriginConfig": {"OriginAccessIdentity": ""}}]},
            "DefaultCacheBehavior": {"TargetOriginId": "page", "ViewerProtocolPolicy": "redirect-to-https",
                                     "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6"}})["Distribution"]
        self.outputs = {"ApiUrl": "https://abc123.execute-api.eu-west-1.amazonaws.com",
                        "SignInIssuer": "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Pool",
                        "SignInClientId": "pageclient", "SignOutUrl": "https://sync-x.auth.eu-west-1.amazoncognito.com/logout",
                        "ConsumerPageUrl": "https://" + self.distribution["DomainName"] + "/",
                        "ConsumerPageBucketName": "page-bucket", "ConsumerPageDistributionId": self.distribution["Id"]}

    def deploy(self, name, outputs):
        self.session.client("cloudformation").create_stack(StackName=name, TemplateBody=stack_template(outputs))

    def test_publishes_the_page_with_its_settings_from_the_stack_and_invalidates_the_distribution(self):
        self.deploy("sync", self.outputs)
        out = io.StringIO()
        publish_page.publish(self.session, "sync", os.path.join(ROOT, "consumer-page"), out=out)

        config = json.loads(self.s3.get_object(Bucket="page-bucket", Key="config.json")["Body"].read())
        self.assertEqual({"apiBase": "https://abc123.execute-api.eu-west-1.amazonaws.com",
                          "issuer": "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Pool", "clientId": "pageclient",
                          "scopes": "openid email", "signOutUrl": "https://sync-x.auth.eu-west-1.amazoncognito.com/logout"}, config)
        keys = {o["Key"] for o in self.s3.list_objects_v2(Bucket="page-bucket")["Contents"]}
        for key in ("index.html", "js/main.js", "js/auth.js", "vendor/oidc-client-ts.min.js", "styles.css", "config.json"):
            self.assertIn(key, keys)
        self.assertNotIn("js/removed.js", keys, "a file the page no longer has is removed")
        index = self.s3.get_object(Bucket="page-bucket", Key="index.html")
        self.assertEqual("text/html; charset=utf-8", index["ContentType"])
        self.assertEqual("no-cache", index["CacheControl"])
        with open(os.path.join(ROOT, "consumer-page", "index.html"), "rb") as f:
            self.assertEqual(f.read(), index["Body"].read())
        self.assertEqual("text/javascript; charset=utf-8", self.s3.head_object(Bucket="page-bucket", Key="js/main.js")["ContentType"])

        invalidations = self.cloudfront.list_invalidations(DistributionId=self.distribution["Id"])["InvalidationList"]
        self.assertEqual(1, invalidations["Quantity"])
        batch = self.cloudfront.get_invalidation(DistributionId=self.distribution["Id"],
                                                 Id=invalidations["Items"][0]["Id"])["Invalidation"]["InvalidationBatch"]
        self.assertEqual(["/*"], batch["Paths"]["Items"])
        self.assertIn("Page: " + self.outputs["ConsumerPageUrl"], out.getvalue())

    def test_another_providers_settings_ask_for_openid_and_carry_no_sign_out_url(self):
        outputs = dict(self.outputs, SignInIssuer="https://login.example.com", SignOutUrl="")
        self.deploy("own-idp", outputs)
        config = publish_page.publish(self.session, "own-idp", os.path.join(ROOT, "consumer-page"), out=io.StringIO())
        self.assertEqual("openid", config["scopes"])
        self.assertNotIn("signOutUrl", config)

    def test_a_stack_without_the_page_outputs_is_refused_and_nothing_changes(self):
        outputs = {k: v for k, v in self.outputs.items() if k != "ConsumerPageDistributionId"}
        self.deploy("older", outputs)
        code, err = self.run_main("older")
        self.assertEqual(2, code)
        self.assertIn("no output ConsumerPageDistributionId", err)
        keys = {o["Key"] for o in self.s3.list_objects_v2(Bucket="page-bucket")["Contents"]}
        self.assertEqual({"js/removed.js"}, keys, "nothing uploaded, nothing removed")

    def test_an_unknown_stack_is_an_aws_error_without_a_stack_trace(self):
        code, err = self.run_main("missing")
        self.assertEqual(1, code)
        self.assertIn("publish_page: AWS refused:", err)
        self.assertNotIn("Traceback", err)

    def run_main(self, stack):
        """The command as a person runs it: its exit code and what it wrote to stderr."""
        err = io.StringIO()
        stderr, sys.stderr = sys.stderr, err
        try:
            return publish_page.main(["--stack-name", stack], session=self.session), err.getvalue()
        finally:
            sys.stderr = stderr


if __name__ == "__main__":
    unittest.main()
