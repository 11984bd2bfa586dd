"""template.yaml as CloudFormation will deploy it: the installed SAM translator (aws-sam-translator,
the library `sam deploy` and CloudFormation's transform use) turns the SAM template into plain
CloudFormation, after CodeUri/DefinitionUri are replaced by s3:// URIs as `sam package` does.

Usage: python3 sam_transform.py <template.yaml>   -> the transformed template as JSON on stdout.
Exit 3 with the install command when samtranslator is missing (never a silent skip).
"""
import json
import os
import sys

try:
    from samtranslator.translator.transform import transform
    from samtranslator.yaml_helper import yaml_parse
except ImportError:
    print("samtranslator is not installed: pip install cfn-lint aws-sam-translator", file=sys.stderr)
    sys.exit(3)


class ManagedPolicies:
    """Managed policy names to ARNs without IAM (the template names none; SAM asks for the list)."""

    def load(self):
        return {"AWSXrayWriteOnlyAccess": "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess",
                "AWSXRayDaemonWriteAccess": "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess",
                "AWSLambdaBasicExecutionRole": "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"}


def main(path):
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    with open(path, encoding="utf-8") as f:
        template = yaml_parse(f.read())
    for logical_id, resource in template.get("Resources", {}).items():
        properties = resource.get("Properties", {})
        if resource.get("Type") == "AWS::Serverless::Function" and "CodeUri" in properties:
            properties["CodeUri"] = "s3://sam-package-bucket/" + logical_id + ".zip"
        if resource.get("Type") == "AWS::Serverless::StateMachine" and "DefinitionUri" in properties:
            properties["DefinitionUri"] = "s3://sam-package-bucket/" + logical_id + ".asl.json"
    transformed = transform(template, {}, ManagedPolicies())
    json.dump(transformed, sys.stdout, indent=1, sort_keys=True, default=str)


if __name__ == "__main__":
    main(sys.argv[1])
