"""lambda_app/template.yaml: the properties the product relies on, read from the template itself.

`make lint` runs the pinned cfn-lint (schema, references, SAM transform); these tests check what
a linter cannot know: names the code expects, the runtime the artifact is built for, the table
the store creates, the headers the dev server sends, and least privilege.
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from importlib.resources import files
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml
from botocore.exceptions import ClientError

from core.config import Settings
from core.metrics.tech import EOL_WATCH_DAYS
from core.ops.dynamodb import DynamoOpsStore
from core.tech.runtimes import eol_date
from devtools.lambda_zip import RUNTIME_PYTHON
from lambda_app import handler as api_handler
from lambda_app import reports_job
from lambda_app.serve import SECURITY_HEADERS

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "lambda_app" / "template.yaml"
DATA_SERVICES = ("dynamodb", "s3", "secretsmanager", "ses", "sqs", "sns", "kms", "rds")
# Variables the template sets that core/config.py does not read (yet), each with its reader.
READ_ELSEWHERE = {
    "DATABASE_URL_SECRET_ARN": ROOT / "lambda_app" / "reports_job.py",
    "LOG_LEVEL": ROOT / "core" / "logs.py",
}
PENDING: set[str] = set()


class CfnLoader(yaml.SafeLoader):
    """A YAML loader that turns CloudFormation short tags into their long forms."""


def _short_tag(loader: CfnLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    if suffix == "Ref":
        return {"Ref": value}
    if suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return {f"Fn::{suffix}": value}


CfnLoader.add_multi_constructor("!", _short_tag)


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    """The parsed template."""
    return yaml.load(TEMPLATE.read_text(), Loader=CfnLoader)


def resources(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    """Resources of one type, by logical id."""
    return {k: v for k, v in template["Resources"].items() if v["Type"] == kind}


def props(template: dict[str, Any], logical_id: str) -> dict[str, Any]:
    """A resource's Properties."""
    return template["Resources"][logical_id]["Properties"]


def function_prop(template: dict[str, Any], logical_id: str, name: str) -> Any:
    """A function property, falling back to Globals as SAM does."""
    own = props(template, logical_id)
    return own[name] if name in own else template.get("Globals", {}).get("Function", {})[name]


def refs(value: Any) -> set[str]:
    """Every logical id or parameter ``value`` refers to (Ref, GetAtt, ${...} in Sub)."""
    found: set[str] = set()
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "Ref":
                found.add(inner)
            elif key == "Fn::GetAtt":
                found.add(inner[0])
            elif key == "Fn::Sub":
                text = inner if isinstance(inner, str) else inner[0]
                found |= {m.split(".")[0] for m in re.findall(r"\$\{([^}!]+)\}", text)}
                if not isinstance(inner, str):
                    found |= refs(inner[1])
            found |= refs(inner)
    elif isinstance(value, list):
        for inner in value:
            found |= refs(inner)
    return found


def sub_text(value: Any) -> str:
    """The text of an Fn::Sub (or a plain string)."""
    if isinstance(value, str):
        return value
    inner = value["Fn::Sub"]
    return inner if isinstance(inner, str) else inner[0]


def makefile_lambda_zip() -> tuple[str, str, str]:
    """(python, default arch, out) of the `make lambda-zip` recipe."""
    text = (ROOT / "Makefile").read_text()
    recipe = re.search(r"^lambda-zip:.*\n\t(.+)$", text, re.M)
    assert recipe, "no lambda-zip target in the Makefile"
    python = re.search(r"--python\s+(\S+)", recipe.group(1))
    out = re.search(r"--out\s+(\S+)", recipe.group(1))
    arch = re.search(r"^LAMBDA_ARCH\s*\?=\s*(\S+)", text, re.M)
    assert python and out and arch
    return python.group(1), arch.group(1), out.group(1)


# -- the API function ------------------------------------------------------------------------
def test_api_function_runs_the_lambda_zip_artifact(template: dict[str, Any]) -> None:
    python, arch, out = makefile_lambda_zip()
    api = props(template, "ApiFunction")
    assert api["Runtime"] == f"python{python}", "runtime must equal make lambda-zip --python"
    assert python == RUNTIME_PYTHON  # the build's default, which the artifact tests use
    assert function_prop(template, "ApiFunction", "Architectures") == [arch] == ["arm64"]
    assert (TEMPLATE.parent / api["CodeUri"]).resolve() == (ROOT / out).resolve()
    module, _, attr = api["Handler"].rpartition(".")
    assert module == "lambda_app.handler" and attr == "lambda_handler"
    assert callable(getattr(api_handler, attr))


# A runtime this close to Lambda's deprecation or its end of life is moved before it ships:
# the CTO page flags such runtimes in the portfolio, so the platform must not run one itself.
RUNTIME_HORIZON = timedelta(days=365)


def lambda_runtime_lifecycle() -> dict[str, dict[str, str]]:
    """Lambda's runtime deprecation dates, as cfn-lint ships them (the data its W2531 uses)."""
    data = files("cfnlint.data.AdditionalSpecs") / "LmbdRuntimeLifecycle.json"
    return json.loads(data.read_text())


def test_api_runtime_is_a_year_from_deprecation_and_end_of_life(template: dict[str, Any]) -> None:
    runtime = props(template, "ApiFunction")["Runtime"]
    today = date.today()
    lifecycle = lambda_runtime_lifecycle()
    assert "python3.11" in lifecycle  # the data is there: an absent runtime means no date yet
    if runtime in lifecycle:
        deprecated = date.fromisoformat(lifecycle[runtime]["deprecated"])
        assert deprecated - today > RUNTIME_HORIZON, (
            f"Lambda deprecates {runtime} on {deprecated}: move to "
            f"{lifecycle[runtime]['successor']} (Makefile --python, the Dockerfiles)"
        )
    end_of_life = eol_date(runtime)
    assert end_of_life, f"{runtime} has no end-of-life date in core/tech/runtimes.py"
    assert end_of_life - today > max(RUNTIME_HORIZON, timedelta(days=EOL_WATCH_DAYS)), (
        f"{runtime} reaches its end of life on {end_of_life}: the CTO page would flag it"
    )


def _env_for_settings(template: dict[str, Any], logical_id: str) -> dict[str, str]:
    """The function's environment with Refs to parameters replaced by their defaults and other
    references by a plausible value, as Settings would see it in Lambda."""
    params = template["Parameters"]
    env: dict[str, str] = {}
    for key, value in props(template, logical_id)["Environment"]["Variables"].items():
        if isinstance(value, str):
            env[key] = value
        elif isinstance(value, dict) and value.get("Ref") in params:
            env[key] = str(params[value["Ref"]].get("Default", "crew@example.com"))
        else:
            env[key] = "https://d111111abcdef8.cloudfront.net" if key == "APP_URL" else "x"
    return env


@pytest.mark.parametrize("function", ["ApiFunction", "ReportsFunction"])
def test_every_variable_is_one_the_code_reads_and_the_settings_accept(
    template: dict[str, Any], function: str
) -> None:
    config = (ROOT / "core" / "config.py").read_text()
    env = _env_for_settings(template, function)
    for key in env:
        reader = READ_ELSEWHERE.get(key)
        if key in PENDING:
            continue
        source = reader.read_text() if reader else config
        assert f'"{key}"' in source, f"{function}: nothing reads {key}"
    settings = Settings.from_env(env)  # raises Invalid on any bad default
    assert settings.ops_backend == "dynamodb" and settings.mail_backend == "ses"
    assert str(settings.exec_data_dir).startswith("/tmp/")  # the only writable place in Lambda


def test_api_environment_points_at_the_stack(template: dict[str, Any]) -> None:
    env = props(template, "ApiFunction")["Environment"]["Variables"]
    assert env["OPS_BACKEND"] == "dynamodb" and env["MAIL_BACKEND"] == "ses"
    assert env["OPS_TABLE"] == {"Ref": "OpsTable"}
    assert env["JWT_SECRET_ARN"] == {"Ref": "JwtSecret"}
    assert env["SES_FROM_ADDRESS"] == {"Ref": "SenderAddress"}
    assert env["SES_CONFIGURATION_SET"] == {"Ref": "MailConfigurationSet"}
    assert template["Resources"]["MailConfigurationSet"]["Type"] == "AWS::SES::ConfigurationSet"
    # sign-in links must point at the app's own origin, never at the raw API endpoint
    assert refs(env["APP_URL"]) == {"AppDomainName", "Distribution"}
    assert "JWT_SECRET" not in env and "STRIPE_WEBHOOK_SECRET" not in env  # ARNs, not values


def test_http_api_sends_every_api_path_to_the_function(template: dict[str, Any]) -> None:
    api = template["Resources"]["HttpApi"]
    assert api["Type"] == "AWS::Serverless::HttpApi"
    route = api["Properties"]["DefinitionBody"]["paths"]["/api/{proxy+}"]
    integration = route["x-amazon-apigateway-any-method"]["x-amazon-apigateway-integration"]
    assert integration["type"] == "aws_proxy"
    assert integration["payloadFormatVersion"] == "2.0"  # APIGatewayHttpResolver reads v2
    name = sub_text(props(template, "ApiFunction")["FunctionName"])
    assert sub_text(integration["uri"]).endswith(f":function:{name}/invocations")
    permission = props(template, "ApiInvokePermission")
    assert permission["FunctionName"] == {"Ref": "ApiFunction"}
    assert permission["Principal"] == "apigateway.amazonaws.com"
    assert "${HttpApi}" in sub_text(permission["SourceArn"])


def test_the_nudge_rule_is_named_as_the_handler_expects(template: dict[str, Any]) -> None:
    schedules = {
        e["Properties"].get("Name"): e["Properties"]
        for e in props(template, "ApiFunction")["Events"].values()
        if e["Type"] == "Schedule"
    }
    assert "ptb_nudge" in schedules
    expression = schedules["ptb_nudge"]["Schedule"]
    if isinstance(expression, dict):
        expression = template["Parameters"][expression["Ref"]]["Default"]
    assert re.fullmatch(r"rate\(\d+ minutes?\)|cron\(.+\)", expression)
    event = {
        "source": "aws.events",
        "detail-type": "Scheduled Event",
        "resources": ["arn:aws:events:us-east-1:123456789012:rule/ptb_nudge"],
    }
    assert api_handler.is_nudge_schedule(event)


def test_no_resource_depends_on_itself(template: dict[str, Any]) -> None:
    # cfn-lint 1.58 misses cycles in a SAM template (it let LogGroup -> Function -> LogGroup
    # through); the one this stack is prone to is Function (APP_URL) -> Distribution ->
    # HttpApi -> Function, which the named integration avoids
    names = set(template["Resources"])
    graph = {
        name: (refs(res.get("Properties", {})) | set(_listed(res.get("DependsOn", [])))) & names
        for name, res in template["Resources"].items()
    }
    for events in (props(template, f).get("Events", {}) for f in graph):
        assert all(e["Type"] == "Schedule" for e in events.values())  # no implicit API edges
    done: set[str] = set()

    def visit(node: str, path: tuple[str, ...]) -> None:
        assert node not in path, "circular: " + " -> ".join((*path, node))
        if node not in done:
            for nxt in sorted(graph[node]):
                visit(nxt, (*path, node))
            done.add(node)

    for name in sorted(graph):
        visit(name, ())
    assert "Distribution" in graph["ApiFunction"] and "HttpApi" in graph["Distribution"]


# -- the reports function --------------------------------------------------------------------
def test_reports_function_is_the_image_running_send_due(template: dict[str, Any]) -> None:
    reports = props(template, "ReportsFunction")
    assert reports["PackageType"] == "Image"
    assert function_prop(template, "ReportsFunction", "Architectures") == ["arm64"]
    [command] = reports["ImageConfig"]["Command"]
    dockerfile = (ROOT / "lambda_app" / "reports.Dockerfile").read_text()
    assert f'CMD ["{command}"]' in dockerfile
    module, _, attr = command.rpartition(".")
    assert module == "lambda_app.reports_job" and getattr(reports_job, attr) is reports_job.handler
    python, _, _ = makefile_lambda_zip()
    assert f"FROM public.ecr.aws/lambda/python:{python}" in dockerfile  # one Python everywhere
    assert "requirements.txt" in dockerfile and "COPY core/" in dockerfile
    assert any(e["Type"] == "Schedule" for e in reports["Events"].values())
    env = reports["Environment"]["Variables"]
    assert env["DATABASE_URL_SECRET_ARN"] == {"Ref": "LedgerDatabaseUrlSecret"}
    assert "DATABASE_URL" not in env  # the password stays in Secrets Manager


# -- the ops table ---------------------------------------------------------------------------
class _RecordingClient:
    """Records what DynamoOpsStore.init asks DynamoDB for when the table is missing."""

    def __init__(self) -> None:
        self.calls: dict[str, dict[str, Any]] = {}

    def describe_table(self, **_: Any) -> None:
        error = {"Error": {"Code": "ResourceNotFoundException", "Message": "missing"}}
        raise ClientError(error, "DescribeTable")  # type: ignore[arg-type]

    def create_table(self, **kwargs: Any) -> None:
        self.calls["create_table"] = kwargs

    def get_waiter(self, _name: str) -> SimpleNamespace:
        return SimpleNamespace(wait=lambda **_: None)

    def update_time_to_live(self, **kwargs: Any) -> None:
        self.calls["update_time_to_live"] = kwargs


def test_table_is_the_one_the_store_creates(template: dict[str, Any]) -> None:
    client = _RecordingClient()
    DynamoOpsStore("exec-ops", client=client).init()
    created = client.calls["create_table"]
    table = props(template, "OpsTable")

    def attrs(defs: list[dict[str, str]]) -> set[tuple[str, str]]:
        return {(d["AttributeName"], d["AttributeType"]) for d in defs}

    assert attrs(table["AttributeDefinitions"]) == attrs(created["AttributeDefinitions"])
    assert table["KeySchema"] == created["KeySchema"]
    assert [k["AttributeName"] for k in table["KeySchema"]] == ["PK", "SK"]
    assert table["BillingMode"] == created["BillingMode"] == "PAY_PER_REQUEST"
    [gsi] = table["GlobalSecondaryIndexes"]
    [want] = created["GlobalSecondaryIndexes"]
    assert gsi == want and gsi["IndexName"] == "GSI1"
    ttl = client.calls["update_time_to_live"]["TimeToLiveSpecification"]
    assert (
        table["TimeToLiveSpecification"] == ttl == {"Enabled": True, "AttributeName": "expires_at"}
    )
    assert table["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert template["Resources"]["OpsTable"]["DeletionPolicy"] == "Retain"


# -- the crew app behind CloudFront ----------------------------------------------------------
def test_bucket_is_private_and_read_only_by_this_distribution(template: dict[str, Any]) -> None:
    bucket = props(template, "SiteBucket")
    assert bucket["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    assert bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert "AccessControl" not in bucket and "WebsiteConfiguration" not in bucket
    policy = props(template, "SiteBucketPolicy")
    assert policy["Bucket"] == {"Ref": "SiteBucket"}
    allows = [s for s in policy["PolicyDocument"]["Statement"] if s["Effect"] == "Allow"]
    assert len(allows) == 1
    [allow] = allows
    assert allow["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    assert allow["Action"] in ("s3:GetObject", ["s3:GetObject"])
    source_arn = allow["Condition"]["StringEquals"]["AWS:SourceArn"]
    assert ":distribution/${Distribution}" in sub_text(source_arn)


def test_cloudfront_uses_origin_access_control_and_serves_api_on_the_same_origin(
    template: dict[str, Any],
) -> None:
    assert not resources(template, "AWS::CloudFront::CloudFrontOriginAccessIdentity")
    oac = props(template, "SiteOriginAccessControl")["OriginAccessControlConfig"]
    assert oac["OriginAccessControlOriginType"] == "s3" and oac["SigningBehavior"] == "always"
    config = props(template, "Distribution")["DistributionConfig"]
    assert config["DefaultRootObject"] == "index.html"
    origins = {o["Id"]: o for o in config["Origins"]}
    site = origins[config["DefaultCacheBehavior"]["TargetOriginId"]]
    assert site["OriginAccessControlId"] == {"Fn::GetAtt": ["SiteOriginAccessControl", "Id"]}
    assert site["S3OriginConfig"]["OriginAccessIdentity"] == ""
    assert refs(site["DomainName"]) == {"SiteBucket"}
    [api] = [b for b in config["CacheBehaviors"] if b["PathPattern"] == "/api/*"]
    assert "HttpApi" in refs(origins[api["TargetOriginId"]]["DomainName"])
    assert {"POST", "PUT", "PATCH", "DELETE"} <= set(api["AllowedMethods"])
    # nothing under /api may be cached: responses depend on the Authorization header
    assert api["CachePolicyId"] == "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"  # CachingDisabled
    for behavior in (config["DefaultCacheBehavior"], api):
        assert behavior["ViewerProtocolPolicy"] in ("redirect-to-https", "https-only")
    # error pages would replace the API's JSON 403/404 bodies with index.html
    assert "CustomErrorResponses" not in config


def test_cloudfront_proves_itself_to_the_api_with_a_generated_secret(
    template: dict[str, Any],
) -> None:
    """The API trusts X-Forwarded-For only when X-Origin-Verify carries this secret."""
    config = props(template, "Distribution")["DistributionConfig"]
    [api] = [b for b in config["CacheBehaviors"] if b["PathPattern"] == "/api/*"]
    origin = {o["Id"]: o for o in config["Origins"]}[api["TargetOriginId"]]
    [header] = origin["OriginCustomHeaders"]
    assert header["HeaderName"] == "X-Origin-Verify"
    assert refs(header["HeaderValue"]) == {"OriginVerifySecret"}
    assert "{{resolve:secretsmanager:" in str(header["HeaderValue"])  # never in the template
    assert props(template, "OriginVerifySecret")["GenerateSecretString"]["PasswordLength"] >= 32
    env = props(template, "ApiFunction")["Environment"]["Variables"]
    assert env["ORIGIN_VERIFY_SECRET_ARN"] == {"Ref": "OriginVerifySecret"}


def _csp_directives(policy: str) -> dict[str, str]:
    parts = (p.strip() for p in policy.split(";"))
    return {p.split()[0]: " ".join(p.split()[1:]) for p in parts if p}


def test_security_headers_match_the_dev_server(template: dict[str, Any]) -> None:
    config = props(template, "SecurityHeadersPolicy")["ResponseHeadersPolicyConfig"]
    headers = config["SecurityHeadersConfig"]
    assert headers["StrictTransportSecurity"]["AccessControlMaxAgeSec"] >= 31536000
    assert headers["ContentTypeOptions"]["Override"] is True
    assert headers["FrameOptions"]["FrameOption"] == SECURITY_HEADERS["X-Frame-Options"]
    assert headers["ReferrerPolicy"]["ReferrerPolicy"] == SECURITY_HEADERS["Referrer-Policy"]
    csp = _csp_directives(headers["ContentSecurityPolicy"]["ContentSecurityPolicy"])
    assert csp == _csp_directives(SECURITY_HEADERS["Content-Security-Policy"])
    assert csp["script-src"] == "'self'" and csp["frame-ancestors"] == "'none'"
    assert all(h["Override"] is True for h in headers.values())
    config = props(template, "Distribution")["DistributionConfig"]
    for behavior in (config["DefaultCacheBehavior"], *config["CacheBehaviors"]):
        assert behavior["ResponseHeadersPolicyId"] == {"Ref": "SecurityHeadersPolicy"}


# -- secrets and IAM -------------------------------------------------------------------------
def test_secrets_are_generated_or_set_by_the_user(template: dict[str, Any]) -> None:
    jwt = props(template, "JwtSecret")["GenerateSecretString"]
    assert jwt["PasswordLength"] >= 32  # core.ops_access.jwt_key refuses keys under 32 bytes
    assert "SecretStringTemplate" not in jwt  # the raw string is the key, not JSON
    for name in ("StripeApiKeySecret", "StripeWebhookSecret", "LedgerDatabaseUrlSecret"):
        value = props(template, name)["SecretString"]
        assert not re.match(r"(sk|rk)_(live|test)_|whsec_|postgres", value), name
    for name, param in template["Parameters"].items():
        assert not re.search(r"secret|password|key$", name, re.I) or param.get("NoEcho"), name


def statements(template: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Every IAM statement in the template, with the resource it belongs to."""
    out: list[tuple[str, dict[str, Any]]] = []
    for logical_id, res in template["Resources"].items():
        p = res.get("Properties", {})
        if res["Type"] == "AWS::Serverless::Function":
            for policy in p.get("Policies", []):
                # only inline statements: no managed or SAM template policies, whose scope
                # this test cannot see
                assert isinstance(policy, dict) and set(policy) == {"Statement"}, logical_id
                out += [(logical_id, s) for s in policy["Statement"]]
        elif "PolicyDocument" in p:
            out += [(logical_id, s) for s in p["PolicyDocument"]["Statement"]]
        elif res["Type"] == "AWS::IAM::Role":
            for policy in p.get("Policies", []):
                out += [(logical_id, s) for s in policy["PolicyDocument"]["Statement"]]
    return out


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def test_iam_grants_no_wildcards_and_only_this_stacks_data(template: dict[str, Any]) -> None:
    found = statements(template)
    assert len(found) >= 8
    secrets = set(resources(template, "AWS::SecretsManager::Secret"))
    for where, statement in found:
        if statement["Effect"] != "Allow":
            continue  # a Deny (e.g. insecure transport) only narrows access
        actions = _listed(statement["Action"])
        assert "NotAction" not in statement and "NotResource" not in statement, where
        for action in actions:
            assert "*" not in action, f"{where}: wildcard action {action}"
        for resource in _listed(statement["Resource"]):
            assert resource != "*", f"{where}: {actions} on every resource"
            service = actions[0].split(":")[0]
            if service == "dynamodb":
                assert refs(resource) == {"OpsTable"}, where
            elif service == "secretsmanager":
                assert isinstance(resource, dict) and resource.get("Ref") in secrets, where
            elif service == "ses":
                assert re.search(r":(identity|configuration-set)/\$\{", sub_text(resource)), where
            elif service == "s3":
                assert refs(resource) == {"SiteBucket"}, where
        assert len({a.split(":")[0] for a in actions}) == 1, f"{where}: one service a statement"


def _dynamodb_actions_of_the_store() -> set[str]:
    """The DynamoDB operations core/ops/dynamodb/ calls once its table exists, as IAM
    actions (a transaction is authorized per item: Put, Update, Delete, ConditionCheck)."""
    modules = sorted((ROOT / "core" / "ops" / "dynamodb").glob("*.py"))
    source = "\n".join(m.read_text() for m in modules)
    ops = set(re.findall(r'_call\(\s*"(\w+)"', source)) | set(
        re.findall(r"client\.(\w+)\(", source)
    )
    ops -= {"create_table", "update_time_to_live", "get_waiter"}  # only when creating it
    if "transact_write_items" in ops:
        ops.remove("transact_write_items")
        ops |= {"put_item", "update_item", "delete_item"}
        if "ConditionCheck" in source:
            ops.add("condition_check_item")
    return {"dynamodb:" + "".join(w.title() for w in op.split("_")) for op in ops}


def test_the_api_may_do_what_the_ops_store_does(template: dict[str, Any]) -> None:
    needed = _dynamodb_actions_of_the_store()
    assert {"dynamodb:GetItem", "dynamodb:Query", "dynamodb:DescribeTable"} <= needed
    for where in ("ApiFunction", "DashboardTaskPolicy"):
        granted = {
            a
            for w, s in statements(template)
            if w == where and s["Effect"] == "Allow"
            for a in _listed(s["Action"])
        }
        assert needed <= granted, f"{where} lacks {sorted(needed - granted)}"
        assert (
            not {a for a in granted if a.startswith("dynamodb:")}
            - needed
            - {"dynamodb:ConditionCheckItem"}
        ), f"{where} has DynamoDB actions the store never uses"


# -- alarms and outputs ----------------------------------------------------------------------
def test_errors_and_throttles_alarm_for_each_function(template: dict[str, Any]) -> None:
    alarms = resources(template, "AWS::CloudWatch::Alarm").values()
    watched = {
        (a["Properties"]["MetricName"], d["Value"]["Ref"])
        for a in alarms
        if a["Properties"]["Namespace"] == "AWS/Lambda"
        for d in a["Properties"]["Dimensions"]
        if d["Name"] == "FunctionName"
    }
    for function in resources(template, "AWS::Serverless::Function"):
        assert {("Errors", function), ("Throttles", function)} <= watched, function
    for alarm in alarms:
        assert refs(alarm["Properties"]["AlarmActions"]) - {"AWS::NoValue"} == {"AlarmTopic"}
    assert template["Resources"]["AlarmTopic"]["Condition"] == "HasAlarmEmail"


def test_failed_report_sends_and_a_burst_of_429s_alarm_on_the_metrics_the_code_writes(
    template: dict[str, Any],
) -> None:
    from lambda_app.telemetry import NAMESPACE, RATE_LIMITED, REPORTS_FAILED

    alarms = resources(template, "AWS::CloudWatch::Alarm").values()
    own = {
        (a["Properties"]["MetricName"], d["Value"])
        for a in alarms
        if a["Properties"]["Namespace"] == NAMESPACE
        for d in a["Properties"]["Dimensions"]
        if d["Name"] == "service"
    }
    # the dimension is the service name the API and the reports job give their Metrics
    assert own == {(REPORTS_FAILED, "reports"), (RATE_LIMITED, "api")}


def test_outputs_name_what_the_deploy_guide_uses(template: dict[str, Any]) -> None:
    outputs = template["Outputs"]
    for name in (
        "AppUrl",
        "ApiUrl",
        "CloudFrontDomain",
        "DistributionId",
        "SiteBucketName",
        "OpsTableName",
        "LedgerDatabaseUrlSecretArn",
        "StripeApiKeySecretArn",
        "StripeWebhookSecretArn",
        "DashboardTaskPolicyArn",
    ):
        assert name in outputs, name
    guide = (ROOT / "docs/deploy.md").read_text()
    assert "sam deploy" in guide and "lambda_app/template.yaml" in guide
