#!/usr/bin/env python3
"""Publishes the consumer page to the stack after `sam deploy`: reads the stack's outputs, writes the
page's config.json from them, uploads consumer-page/ and config.json to the page's bucket (removing
files the page no longer has) and invalidates the CloudFront distribution.

Usage: scripts/publish_page.py --stack-name <stack> [--region <region>] [--scopes "openid email"]
Credentials and region as for the AWS CLI (AWS_PROFILE, AWS_REGION...). Exit 2 with a message when
the stack lacks an output this script needs (deploy this version of template.yaml first).
"""
import argparse
import json
import mimetypes
import os
import sys
import time

REQUIRED = ["ApiUrl", "SignInIssuer", "SignInClientId", "ConsumerPageUrl", "ConsumerPageBucketName", "ConsumerPageDistributionId"]
TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
         ".json": "application/json", ".svg": "image/svg+xml", ".txt": "text/plain; charset=utf-8", ".png": "image/png"}
# Read again at each load: the page's entry and its settings. The rest may be kept five minutes.
ALWAYS_FRESH = {"index.html", "config.json"}


class PublishError(Exception):
    pass


def page_config(outputs, scopes=None):
    """config.json from the stack's outputs: the API, the OpenID Connect issuer and the page's client."""
    missing = [name for name in REQUIRED if not outputs.get(name)]
    if missing:
        raise PublishError("the stack has no output " + ", ".join(missing) + ": deploy this version of template.yaml first")
    sign_out = outputs.get("SignOutUrl") or ""
    config = {"apiBase": outputs["ApiUrl"].rstrip("/"), "issuer": outputs["SignInIssuer"], "clientId": outputs["SignInClientId"],
              # The stack's Cognito pool grants openid and email; another provider: openid unless told.
              "scopes": scopes or ("openid email" if sign_out else "openid")}
    if sign_out:
        config["signOutUrl"] = sign_out
    return config


def page_files(page_dir):
    """(key, path) of the page's files: no hidden ones, no config.json of the folder (it is written here)."""
    files = []
    for folder, dirs, names in os.walk(page_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.startswith("."):
                continue
            path = os.path.join(folder, name)
            key = os.path.relpath(path, page_dir).replace(os.sep, "/")
            if key != "config.json":
                files.append((key, path))
    return files


def read(path):
    with open(path, "rb") as f:
        return f.read()


def content_type(key):
    return TYPES.get(os.path.splitext(key)[1].lower()) or mimetypes.guess_type(key)[0] or "application/octet-stream"


def publish(session, stack_name, page_dir, scopes=None, out=sys.stdout):
    cloudformation = session.client("cloudformation")
    stacks = cloudformation.describe_stacks(StackName=stack_name)["Stacks"]
    outputs = {o["OutputKey"]: o.get("OutputValue", "") for o in stacks[0].get("Outputs", [])}
    config = page_config(outputs, scopes)
    bucket = outputs["ConsumerPageBucketName"]
    s3 = session.client("s3")

    uploads = [(key, read(path)) for key, path in page_files(page_dir)]
    if not any(key == "index.html" for key, _ in uploads):
        raise PublishError(page_dir + " has no index.html")
    uploads.append(("config.json", (json.dumps(config, indent=2) + "\n").encode("utf-8")))
    for key, body in uploads:
        s3.put_object(Bucket=bucket, Key=key, Body=body, ContentType=content_type(key),
                      CacheControl="no-cache" if key in ALWAYS_FRESH else "max-age=300")
    kept = {key for key, _ in uploads}
    stale = []
    for listing in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        stale += [o["Key"] for o in listing.get("Contents", []) if o["Key"] not in kept]
    for start in range(0, len(stale), 1000):
        s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": k} for k in stale[start:start + 1000]], "Quiet": True})

    invalidation = session.client("cloudfront").create_invalidation(
        DistributionId=outputs["ConsumerPageDistributionId"],
        InvalidationBatch={"Paths": {"Quantity": 1, "Items": ["/*"]}, "CallerReference": "publish-%d" % time.time_ns()})
    print("Published %d files to s3://%s (%d removed); CloudFront invalidation %s." % (
        len(uploads), bucket, len(stale), invalidation["Invalidation"]["Id"]), file=out)
    print("Page: " + outputs["ConsumerPageUrl"], file=out)
    return config


def main(argv=None, session=None):
    parser = argparse.ArgumentParser(description="Publish the consumer page to a deployed stack.")
    parser.add_argument("--stack-name", required=True)
    parser.add_argument("--region")
    parser.add_argument("--scopes", help="OpenID Connect scopes the page asks for (default: from the stack)")
    parser.add_argument("--page-dir", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "consumer-page"))
    args = parser.parse_args(argv)
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError
    if session is None:
        session = boto3.Session(region_name=args.region) if args.region else boto3.Session()
    try:
        publish(session, args.stack_name, os.path.normpath(args.page_dir), args.scopes)
    except PublishError as e:
        print("publish_page: " + str(e), file=sys.stderr)
        return 2
    except (BotoCoreError, ClientError) as e:
        print("publish_page: AWS refused: " + str(e), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
