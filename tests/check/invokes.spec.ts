import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    CHECK_ACCOUNT_ID,
    CHECK_PARTITION,
    crc32,
    InvokeContext,
    InvokeError,
    invokeAnswersPath,
    invokeResult,
    readInvokeAnswers,
} from "../../tools/check/invokes";
import { SECRET_PLACEHOLDER } from "../../tools/check/stackConfig";

const FILE = "/proj/Pulumi.dev.invokes.yaml";
const ctx = (over: Partial<InvokeContext> = {}): InvokeContext => ({ providerRegion: "us-west-2", answersFile: FILE, ...over });
const noRegion: InvokeContext = { answersFile: FILE };

const POLICY = "aws:iam/getPolicyDocument:getPolicyDocument";
const REGION = "aws:index/getRegion:getRegion";
const PARTITION = "aws:index/getPartition:getPartition";
const AZS = "aws:index/getAvailabilityZones:getAvailabilityZones";
const CALLER = "aws:index/getCallerIdentity:getCallerIdentity";
const ELB = "aws:elb/getServiceAccount:getServiceAccount";

const policyJson = (args: Record<string, unknown>) => invokeResult(POLICY, args, ctx()).json as string;
const lines = (...l: string[]) => l.join("\n");

/** Asserts the call fails with an InvokeError whose message is `message` (a string: exactly; a RegExp: matching). */
function assertInvokeError(fn: () => unknown, message: string | RegExp): void {
    assert.throws(fn, (e: Error) => {
        assert.ok(e instanceof InvokeError, `expected an InvokeError, got ${e}`);
        if (typeof message === "string") assert.strictEqual(e.message, message);
        else assert.match(e.message, message);
        return true;
    });
}

describe("the check's invoke answers (tools/check/invokes.ts)", () => {
    describe("aws.iam.getPolicyDocument, rendered as terraform-provider-aws renders it", () => {
        // The statements of the provider's acceptance test TestAccIAMPolicyDocumentDataSource_basic
        // (policy_document_data_source_test.go), with the empty Sids omitted as the provider does since v5.
        it("renders the provider's acceptance-test document byte for byte", () => {
            const json = policyJson({
                policyId: "policy_id",
                statements: [
                    { sid: "1", actions: ["s3:ListAllMyBuckets", "s3:GetBucketLocation"], resources: ["arn:aws:s3:::*"] },
                    {
                        actions: ["s3:ListBucket"],
                        resources: ["arn:aws:s3:::foo"],
                        conditions: [{ test: "StringLike", variable: "s3:prefix", values: ["home/", "", "home/&{aws:username}/"] }],
                        notPrincipals: [{ type: "AWS", identifiers: ["arn:blahblah:example"] }],
                    },
                    {
                        actions: ["s3:*"],
                        resources: ["arn:aws:s3:::foo/home/&{aws:username}", "arn:aws:s3:::foo/home/&{aws:username}/*"],
                        principals: [{ type: "AWS", identifiers: ["arn:blahblah:example"] }],
                    },
                    { effect: "Deny", notActions: ["s3:*"], notResources: ["arn:aws:s3:::*"] },
                    { effect: "Allow", actions: ["kinesis:*"], principals: [{ type: "AWS", identifiers: ["*"] }] },
                    { effect: "Allow", actions: ["firehose:*"], principals: [{ type: "*", identifiers: ["*"] }] },
                ],
            });
            assert.strictEqual(
                json,
                lines(
                    "{",
                    '  "Version": "2012-10-17",',
                    '  "Id": "policy_id",',
                    '  "Statement": [',
                    "    {",
                    '      "Sid": "1",',
                    '      "Effect": "Allow",',
                    '      "Action": [',
                    '        "s3:ListAllMyBuckets",',
                    '        "s3:GetBucketLocation"',
                    "      ],",
                    '      "Resource": "arn:aws:s3:::*"',
                    "    },",
                    "    {",
                    '      "Effect": "Allow",',
                    '      "Action": "s3:ListBucket",',
                    '      "Resource": "arn:aws:s3:::foo",',
                    '      "NotPrincipal": {',
                    '        "AWS": "arn:blahblah:example"',
                    "      },",
                    '      "Condition": {',
                    '        "StringLike": {',
                    '          "s3:prefix": [',
                    '            "home/",',
                    '            "",',
                    '            "home/${aws:username}/"',
                    "          ]",
                    "        }",
                    "      }",
                    "    },",
                    "    {",
                    '      "Effect": "Allow",',
                    '      "Action": "s3:*",',
                    '      "Resource": [',
                    '        "arn:aws:s3:::foo/home/${aws:username}/*",',
                    '        "arn:aws:s3:::foo/home/${aws:username}"',
                    "      ],",
                    '      "Principal": {',
                    '        "AWS": "arn:blahblah:example"',
                    "      }",
                    "    },",
                    "    {",
                    '      "Effect": "Deny",',
                    '      "NotAction": "s3:*",',
                    '      "NotResource": "arn:aws:s3:::*"',
                    "    },",
                    "    {",
                    '      "Effect": "Allow",',
                    '      "Action": "kinesis:*",',
                    '      "Principal": {',
                    '        "AWS": "*"',
                    "      }",
                    "    },",
                    "    {",
                    '      "Effect": "Allow",',
                    '      "Action": "firehose:*",',
                    '      "Principal": "*"',
                    "    }",
                    "  ]",
                    "}",
                ),
            );
        });

        it("returns the minified JSON, the CRC-32 id of the JSON, the version and the statements with their defaults", () => {
            const r = invokeResult(POLICY, { statements: [{ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::b/*"] }] }, ctx());
            assert.deepStrictEqual(r, {
                id: "484065695",
                json: lines(
                    "{",
                    '  "Version": "2012-10-17",',
                    '  "Statement": [',
                    "    {",
                    '      "Effect": "Allow",',
                    '      "Action": "s3:GetObject",',
                    '      "Resource": "arn:aws:s3:::b/*"',
                    "    }",
                    "  ]",
                    "}",
                ),
                minifiedJson: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}',
                version: "2012-10-17",
                statements: [{ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::b/*"], effect: "Allow" }],
            });
            assert.strictEqual(r.id, String(crc32(r.json as string)));
        });

        it("computes CRC-32 (IEEE) as Go's crc32.ChecksumIEEE does", () => {
            assert.strictEqual(crc32("123456789"), 0xcbf43926);
            assert.strictEqual(crc32(""), 0);
            assert.strictEqual(crc32("é"), 235179326);
        });

        it("echoes the policy id, the documents and the version it was given", () => {
            const src = '{"Version":"2012-10-17"}';
            const r = invokeResult(POLICY, { version: "2008-10-17", policyId: "p1", sourcePolicyDocuments: [src], overridePolicyDocuments: [] }, ctx());
            assert.deepStrictEqual([r.version, r.policyId, r.sourcePolicyDocuments, r.overridePolicyDocuments, r.json], [
                "2008-10-17",
                "p1",
                [src],
                [],
                lines("{", '  "Version": "2012-10-17",', '  "Id": "p1"', "}"),
            ]);
        });

        it("writes one action or resource as a string, several deduplicated and sorted in reverse", () => {
            assert.strictEqual(
                invokeResult(POLICY, { statements: [{ actions: ["s3:GetObject", "s3:PutObject", "s3:GetObject", "s3:DeleteObject"], resources: ["*", "*"] }] }, ctx()).minifiedJson,
                '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:PutObject","s3:GetObject","s3:DeleteObject"],"Resource":"*"}]}',
            );
        });

        // The expected orders are those of the provider's acceptance tests
        // TestAccIAMPolicyDocumentDataSource_StatementPrincipalIdentifiers_* (aws and aws-us-gov partitions): the
        // blocks of one type are appended in the order of their set hash codes.
        it("appends the principal blocks of one type in the provider's set order", () => {
            const principal = (partition: string, blocks: string[][]) =>
                JSON.parse(
                    invokeResult(
                        POLICY,
                        { statements: [{ sid: "S", actions: ["*"], resources: ["*"], principals: blocks.map((ids) => ({ type: "AWS", identifiers: ids.map((a) => `arn:${partition}:iam::${a}:root`) })) }] },
                        ctx(),
                    ).minifiedJson as string,
                ).Statement[0].Principal.AWS.map((arn: string) => arn.split(":")[4]);
            const multiple = [["111111111111", "222222222222"], ["333333333333"], ["444444444444"]];
            assert.deepStrictEqual(principal("aws", multiple), ["333333333333", "444444444444", "222222222222", "111111111111"]);
            assert.deepStrictEqual(principal("aws-us-gov", multiple), ["333333333333", "222222222222", "111111111111", "444444444444"]);
            assert.deepStrictEqual(principal("aws", [["111111111111"], ["222222222222", "333333333333"]]), ["111111111111", "333333333333", "222222222222"]);
        });

        it("groups principals by type, keys sorted, and writes a lone wildcard principal as \"*\"", () => {
            const r = invokeResult(
                POLICY,
                {
                    statements: [
                        {
                            actions: ["sts:AssumeRole"],
                            principals: [
                                { type: "Service", identifiers: ["lambda.amazonaws.com", "ecs-tasks.amazonaws.com"] },
                                { type: "AWS", identifiers: ["arn:aws:iam::123456789012:root"] },
                            ],
                        },
                        { actions: ["s3:GetObject"], principals: [{ type: "*", identifiers: ["*"] }] },
                        { actions: ["s3:GetObject"], principals: [{ type: "*", identifiers: ["*", "x"] }] },
                    ],
                },
                ctx(),
            );
            assert.deepStrictEqual(JSON.parse(r.minifiedJson as string).Statement.map((s: any) => s.Principal), [
                { AWS: "arn:aws:iam::123456789012:root", Service: ["lambda.amazonaws.com", "ecs-tasks.amazonaws.com"] },
                "*",
                { "*": ["x", "*"] },
            ]);
        });

        it("writes conditions as test → variable → values, one value as a string, blocks of one variable appended in set order", () => {
            const r = invokeResult(
                POLICY,
                {
                    statements: [
                        {
                            actions: ["s3:GetObject", "s3:GetObject"],
                            resources: ["arn:aws:s3:::b/*"],
                            conditions: [
                                { test: "StringEquals", variable: "aws:SourceAccount", values: ["111111111111"] },
                                { test: "StringEquals", variable: "aws:SourceAccount", values: ["222222222222", "333333333333"] },
                                { test: "Bool", variable: "aws:SecureTransport", values: ["true"] },
                            ],
                        },
                    ],
                },
                ctx(),
            );
            assert.strictEqual(
                r.minifiedJson,
                '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"Bool":{"aws:SecureTransport":"true"},"StringEquals":{"aws:SourceAccount":["222222222222","333333333333","111111111111"]}}}]}',
            );
        });

        it("escapes as Go's encoder does (HTML-safe, U+2028, control characters)", () => {
            assert.strictEqual(
                invokeResult(POLICY, { statements: [{ actions: ["s3:*"], resources: ['arn:aws:s3:::a&b<c>/\u2028"\\\n\t\u0001\b'] }] }, ctx()).minifiedJson,
                '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::a\\u0026b\\u003cc\\u003e/\\u2028\\"\\\\\\n\\t\\u0001\\b"}]}',
            );
        });

        // TestAccIAMPolicyDocumentDataSource_sourceList / _overrideList / _sourceConflicting.
        describe("merging source and override documents", () => {
            const doc = (...statements: Record<string, unknown>[]) => policyJson({ statements });
            const a = doc({ sid: "", effect: "Allow", actions: ["foo:ActionOne"] }, { sid: "validSidOne", effect: "Allow", actions: ["bar:ActionOne"] });
            const b = doc({ sid: "validSidTwo", effect: "Deny", actions: ["foo:ActionTwo"] });
            const c = doc({ sid: "", effect: "Allow", actions: ["bar:ActionTwo"] });

            it("merges source documents in order", () => {
                assert.strictEqual(
                    invokeResult(POLICY, { version: "2012-10-17", sourcePolicyDocuments: [a, b, c] }, ctx()).minifiedJson,
                    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"foo:ActionOne"},{"Sid":"validSidOne","Effect":"Allow","Action":"bar:ActionOne"},{"Sid":"validSidTwo","Effect":"Deny","Action":"foo:ActionTwo"},{"Effect":"Allow","Action":"bar:ActionTwo"}]}',
                );
            });

            it("lets an override statement replace the one with its Sid, in place", () => {
                const c2 = doc({ sid: "validSidOne", effect: "Deny", actions: ["bar:ActionOne"] });
                assert.strictEqual(
                    invokeResult(POLICY, { overridePolicyDocuments: [a, b, c2] }, ctx()).minifiedJson,
                    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"foo:ActionOne"},{"Sid":"validSidOne","Effect":"Deny","Action":"bar:ActionOne"},{"Sid":"validSidTwo","Effect":"Deny","Action":"foo:ActionTwo"}]}',
                );
            });

            it("lets the call's statement replace a source statement with its Sid", () => {
                const source = doc({ sid: "SourceJSONTestConflicting", actions: ["iam:*"], resources: ["*"] });
                assert.strictEqual(
                    invokeResult(POLICY, { sourcePolicyDocuments: [source], statements: [{ sid: "SourceJSONTestConflicting", actions: ["*"], resources: ["*"] }] }, ctx()).minifiedJson,
                    '{"Version":"2012-10-17","Statement":[{"Sid":"SourceJSONTestConflicting","Effect":"Allow","Action":"*","Resource":"*"}]}',
                );
            });

            it("keeps a source document's values as written, reading its keys in any case", () => {
                const source = JSON.stringify({
                    version: "2008-10-17",
                    id: "src",
                    statement: [
                        {
                            sid: "",
                            effect: "Allow",
                            action: ["b:Two", "a:One"],
                            resource: [],
                            principal: { AWS: ["arn:aws:iam::111111111111:root", "arn:aws:iam::222222222222:root"], Service: "s3.amazonaws.com" },
                            condition: { StringEquals: { "aws:PrincipalTag/team": "core" }, Bool: { "aws:SecureTransport": false }, NumericLessThan: { "s3:max-keys": 10 } },
                        },
                        { Effect: "Deny", NotAction: "iam:*", Principal: { "*": "*" } },
                    ],
                });
                assert.strictEqual(
                    invokeResult(POLICY, { sourcePolicyDocuments: [source] }, ctx()).minifiedJson,
                    '{"Version":"2012-10-17","Id":"src","Statement":[{"Effect":"Allow","Action":["b:Two","a:One"],"Resource":[],"Principal":{"AWS":["arn:aws:iam::222222222222:root","arn:aws:iam::111111111111:root"],"Service":"s3.amazonaws.com"},"Condition":{"Bool":{"aws:SecureTransport":"false"},"StringEquals":{"aws:PrincipalTag/team":"core"}}},{"Effect":"Deny","NotAction":"iam:*","Principal":"*"}]}',
                );
            });

            it("refuses a Sid twice among the source documents, naming the provider's error", () => {
                assertInvokeError(
                    () => invokeResult(POLICY, { sourcePolicyDocuments: [b, b] }, ctx()),
                    /writing IAM Policy Document: merging source document 1: duplicate Sid \(validSidTwo\) in source_policy_documents \(statement 0\)/,
                );
            });

            it("refuses a source document that is not JSON or not a policy", () => {
                assertInvokeError(() => invokeResult(POLICY, { sourcePolicyDocuments: ["{"] }, ctx()), /sourcePolicyDocuments\[0\] is not valid JSON \(the provider: "source_policy_documents\.0" contains an invalid JSON/);
                assertInvokeError(
                    () => invokeResult(POLICY, { overridePolicyDocuments: ['{"Statement":{"Effect":"Allow"}}'] }, ctx()),
                    /merging override document 0: json: cannot unmarshal object into Go struct field iamPolicyDoc\.Statement of type \[\]\*iam\.iamPolicyStatement/,
                );
            });
        });

        describe("the provider's validation", () => {
            const refused = (args: Record<string, unknown>, reason: string) =>
                assertInvokeError(() => invokeResult(POLICY, args, ctx()), new RegExp(`^The offline check cannot answer the invoke 'aws:iam/getPolicyDocument:getPolicyDocument' \\(arguments: .*\\): ${reason.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));

            it("refuses two statements with one Sid", () =>
                refused({ statements: [{ sid: "A", actions: ["a:B"] }, { sid: "A", actions: ["a:C"] }] }, "writing IAM Policy Document: duplicate Sid (A). Remove the Sid or ensure the Sid is unique."));
            it("refuses an effect other than Allow or Deny", () => refused({ statements: [{ effect: "Permit", actions: ["a:B"] }] }, 'expected statements[0].effect to be one of ["Allow" "Deny"], got Permit'));
            it("refuses a Sid that is not alphanumeric", () => refused({ statements: [{ sid: "no-dash", actions: ["a:B"] }] }, "invalid value for statements[0].sid (must only include alphanumeric characters): 'no-dash'"));
            it("refuses an unknown version", () => refused({ version: "2020-01-01" }, 'expected version to be one of ["2008-10-17" "2012-10-17"], got 2020-01-01'));
            it("refuses &{ in a 2008-10-17 document", () =>
                refused({ version: "2008-10-17", statements: [{ actions: ["*"], resources: ["arn:aws:s3:::foo/&{aws:username}"] }] }, "found &{ sequence in (arn:aws:s3:::foo/&{aws:username}), which is not supported in document version 2008-10-17"));
            it("refuses the removed sourceJson", () => refused({ sourceJson: "{}" }, `'sourceJson' is no longer used and must be empty (the provider: expected "source_json" to be an empty string); use 'sourcePolicyDocuments'.`));
        });
    });

    describe("aws.getRegion", () => {
        it("describes the Region of the call's region argument", () => {
            assert.deepStrictEqual(invokeResult(REGION, { region: "us-west-2" }, ctx({ providerRegion: "eu-west-1" })), {
                description: "US West (Oregon)",
                endpoint: "ec2.us-west-2.amazonaws.com",
                id: "us-west-2",
                name: "us-west-2",
                region: "us-west-2",
            });
        });

        it("takes the legacy name, an EC2 endpoint, or else the provider's region", () => {
            assert.strictEqual(invokeResult(REGION, { name: "eu-central-1" }, ctx()).description, "Europe (Frankfurt)");
            assert.deepStrictEqual(invokeResult(REGION, { endpoint: "ec2.cn-north-1.amazonaws.com.cn" }, ctx()), {
                description: "China (Beijing)",
                endpoint: "ec2.cn-north-1.amazonaws.com.cn",
                id: "cn-north-1",
                name: "cn-north-1",
                region: "cn-north-1",
            });
            assert.deepStrictEqual(invokeResult(REGION, {}, ctx({ providerRegion: "sa-east-1" })), {
                description: "South America (Sao Paulo)",
                endpoint: "ec2.sa-east-1.amazonaws.com",
                id: "sa-east-1",
                name: "sa-east-1",
                region: "sa-east-1",
            });
        });

        it("fails without any region, telling how to set aws:region and how to answer it", () => {
            assertInvokeError(
                () => invokeResult(REGION, {}, noRegion),
                lines(
                    "The offline check cannot answer the invoke 'aws:index/getRegion:getRegion' (arguments: none): the AWS provider has no region: set the stack's aws:region (pulumi config set aws:region <region>), give the provider a region, or pass the call a region argument. A real preview fails the same way.",
                    "If the real provider answers this call, give the check its answer in /proj/Pulumi.dev.invokes.yaml (an entry there replaces the check's own answer for this function):",
                    "",
                    "aws:index/getRegion:getRegion:",
                    "  - result: {} # the outputs the program reads, by their Pulumi names",
                ),
            );
        });

        it("refuses an unknown Region, a name with a region, and an endpoint of another Region", () => {
            assertInvokeError(() => invokeResult(REGION, { region: "us-north-9" }, ctx()), /there is no AWS Region 'us-north-9' \(the provider: finding Region by name \(us-north-9\): couldn't find resource\)/);
            assertInvokeError(() => invokeResult(REGION, { region: "us-east-1", name: "us-east-1" }, ctx()), /'name' and 'region' cannot both be given/);
            assertInvokeError(() => invokeResult(REGION, { endpoint: "ec2.us-east-1.amazonaws.com", region: "us-east-2" }, ctx()), /the endpoint 'ec2\.us-east-1\.amazonaws\.com' is the one of us-east-1, not of us-east-2 \(the provider: multiple Regions matched\)/);
        });
    });

    describe("aws.getPartition", () => {
        it("answers the partition of the provider's region", () => {
            assert.deepStrictEqual(invokeResult(PARTITION, {}, ctx()), { dnsSuffix: "amazonaws.com", id: "aws", partition: "aws", reverseDnsPrefix: "com.amazonaws" });
            assert.deepStrictEqual(invokeResult(PARTITION, {}, ctx({ providerRegion: "cn-northwest-1" })), {
                dnsSuffix: "amazonaws.com.cn",
                id: "aws-cn",
                partition: "aws-cn",
                reverseDnsPrefix: "cn.com.amazonaws",
            });
            assert.deepStrictEqual(invokeResult(PARTITION, {}, ctx({ providerRegion: "us-gov-west-1" })), {
                dnsSuffix: "amazonaws.com",
                id: "aws-us-gov",
                partition: "aws-us-gov",
                reverseDnsPrefix: "com.amazonaws",
            });
        });

        it("fails without a region", () => {
            assertInvokeError(() => invokeResult(PARTITION, {}, noRegion), /^The offline check cannot answer the invoke 'aws:index\/getPartition:getPartition' \(arguments: none\): the AWS provider has no region/);
        });
    });

    describe("aws.getAvailabilityZones", () => {
        it("lists the zone names and zone ids of the call's region, sorted by name", () => {
            assert.deepStrictEqual(invokeResult(AZS, { region: "us-east-1", state: "available" }, ctx()), {
                groupNames: ["us-east-1-zg-1"],
                id: "us-east-1",
                names: ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f"],
                region: "us-east-1",
                state: "available",
                zoneIds: ["use1-az1", "use1-az2", "use1-az3", "use1-az4", "use1-az5", "use1-az6"],
            });
        });

        it("uses the provider's region without a region argument, with the real mapping where it is uniform", () => {
            const r = invokeResult(AZS, {}, ctx({ providerRegion: "eu-central-1" }));
            assert.deepStrictEqual([r.names, r.zoneIds], [
                ["eu-central-1a", "eu-central-1b", "eu-central-1c"],
                ["euc1-az2", "euc1-az3", "euc1-az1"],
            ]);
            assert.deepStrictEqual(invokeResult(AZS, { region: "ca-central-1" }, ctx()).zoneIds, ["cac1-az1", "cac1-az2", "cac1-az4"]);
            assert.deepStrictEqual(invokeResult(AZS, { region: "ap-south-1" }, ctx()).zoneIds, ["aps1-az1", "aps1-az3", "aps1-az2"]);
            assert.deepStrictEqual(invokeResult(AZS, { region: "us-west-2" }, ctx()).names, ["us-west-2a", "us-west-2b", "us-west-2c", "us-west-2d"]);
        });

        it("knows the zones of the 15 Regions it lists", () => {
            const counts = Object.fromEntries(
                ["us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-north-1", "ap-southeast-1", "ap-southeast-2", "ap-northeast-1", "ap-south-1", "sa-east-1"].map(
                    (r) => [r, (invokeResult(AZS, { region: r }, ctx()).zoneIds as string[]).join(",")],
                ),
            );
            assert.deepStrictEqual(counts, {
                "us-east-1": "use1-az1,use1-az2,use1-az3,use1-az4,use1-az5,use1-az6",
                "us-east-2": "use2-az1,use2-az2,use2-az3",
                "us-west-1": "usw1-az1,usw1-az3",
                "us-west-2": "usw2-az1,usw2-az2,usw2-az3,usw2-az4",
                "ca-central-1": "cac1-az1,cac1-az2,cac1-az4",
                "eu-west-1": "euw1-az1,euw1-az2,euw1-az3",
                "eu-west-2": "euw2-az2,euw2-az3,euw2-az1",
                "eu-west-3": "euw3-az1,euw3-az2,euw3-az3",
                "eu-central-1": "euc1-az2,euc1-az3,euc1-az1",
                "eu-north-1": "eun1-az1,eun1-az2,eun1-az3",
                "ap-southeast-1": "apse1-az1,apse1-az2,apse1-az3",
                "ap-southeast-2": "apse2-az1,apse2-az2,apse2-az3",
                "ap-northeast-1": "apne1-az1,apne1-az2,apne1-az4",
                "ap-south-1": "aps1-az1,aps1-az3,aps1-az2",
                "sa-east-1": "sae1-az1,sae1-az2,sae1-az3",
            });
        });

        it("honours excludeNames, excludeZoneIds, filters (with wildcards) and state", () => {
            const r = invokeResult(AZS, { region: "us-east-1", excludeNames: ["us-east-1a"], excludeZoneIds: ["use1-az3"], filters: [{ name: "zone-id", values: ["use1-az?"] }, { name: "zone-name", values: ["*1[bcd]", "us-east-1*"] }] }, ctx());
            assert.deepStrictEqual([r.names, r.zoneIds, r.excludeNames, r.excludeZoneIds], [
                ["us-east-1b", "us-east-1d", "us-east-1e", "us-east-1f"],
                ["use1-az2", "use1-az4", "use1-az5", "use1-az6"],
                ["us-east-1a"],
                ["use1-az3"],
            ]);
            assert.deepStrictEqual(invokeResult(AZS, { region: "eu-west-3", state: "impaired" }, ctx()), { groupNames: [], id: "eu-west-3", names: [], region: "eu-west-3", state: "impaired", zoneIds: [] });
            assert.deepStrictEqual(invokeResult(AZS, { region: "eu-west-3", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] }, ctx()).names, ["eu-west-3a", "eu-west-3b", "eu-west-3c"]);
        });

        it("answers allAvailabilityZones only when a zone-type filter keeps the Availability Zones", () => {
            assert.deepStrictEqual(invokeResult(AZS, { region: "eu-north-1", allAvailabilityZones: true, filters: [{ name: "zone-type", values: ["availability-zone"] }] }, ctx()).names, [
                "eu-north-1a",
                "eu-north-1b",
                "eu-north-1c",
            ]);
            assertInvokeError(() => invokeResult(AZS, { region: "eu-north-1", allAvailabilityZones: true }, ctx()), /allAvailabilityZones also lists the Local Zones and Wavelength Zones of eu-north-1, which the check does not know/);
        });

        it("refuses an unknown Region, an unknown filter and an invalid state", () => {
            assertInvokeError(() => invokeResult(AZS, { region: "ap-east-1" }, ctx()), /the check knows the Availability Zones of ap-northeast-1, ap-south-1, .* only, not of 'ap-east-1'\./);
            assertInvokeError(() => invokeResult(AZS, { filters: [{ name: "zone", values: ["x"] }] }, ctx()), /EC2 has no Availability Zone filter 'zone'/);
            assertInvokeError(() => invokeResult(AZS, { state: "up" }, ctx()), /'state' must be one of available, information, impaired, unavailable, constrained/);
        });
    });

    describe("aws.getCallerIdentity and aws.elb.getServiceAccount", () => {
        it("answers the placeholder account", () => {
            assert.deepStrictEqual(invokeResult(CALLER, {}, noRegion), {
                accountId: "123456789012",
                arn: "arn:aws:sts::123456789012:assumed-role/continuity-check/offline",
                id: "123456789012",
                userId: "AROACONTINUITYCHECK:offline",
            });
            assert.strictEqual(CHECK_ACCOUNT_ID, "123456789012");
            assert.strictEqual(CHECK_PARTITION, "aws");
            assert.strictEqual(invokeResult(CALLER, {}, ctx({ providerRegion: "us-gov-east-1" })).arn, "arn:aws-us-gov:sts::123456789012:assumed-role/continuity-check/offline");
        });

        it("answers the ELB log-delivery account of the call's region, else the provider's", () => {
            assert.deepStrictEqual(invokeResult(ELB, { region: "us-west-2" }, noRegion), { arn: "arn:aws:iam::797873946194:root", id: "797873946194", region: "us-west-2" });
            assert.deepStrictEqual(invokeResult(ELB, {}, ctx({ providerRegion: "eu-west-3" })), { arn: "arn:aws:iam::009996457667:root", id: "009996457667", region: "eu-west-3" });
            assert.deepStrictEqual(invokeResult(ELB, { region: "cn-north-1" }, ctx()), { arn: "arn:aws-cn:iam::638102146993:root", id: "638102146993", region: "cn-north-1" });
        });

        it("refuses a Region the provider has no ELB account for, as the provider does", () => {
            assertInvokeError(() => invokeResult(ELB, { region: "ap-south-2" }, ctx()), /the provider has no ELB log-delivery account for 'ap-south-2' \(the provider: unsupported AWS Region: ap-south-2\)/);
            assertInvokeError(() => invokeResult(ELB, {}, noRegion), /the AWS provider has no region/);
        });
    });

    describe("the answers file", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "continuity-invokes-"));
        const write = (name: string, text: string) => {
            const file = path.join(dir, name);
            fs.writeFileSync(file, text);
            return file;
        };

        it("is Pulumi.<stack>.invokes.yaml beside the stack file, and undefined when it does not exist", () => {
            assert.strictEqual(invokeAnswersPath("/proj", "dev"), "/proj/Pulumi.dev.invokes.yaml");
            assert.strictEqual(readInvokeAnswers(path.join(dir, "Pulumi.none.invokes.yaml")), undefined);
        });

        it("reads YAML and JSON answers; an empty file has none", () => {
            const yamlFile = write(
                "Pulumi.a.invokes.yaml",
                lines(
                    "# answers",
                    "aws:ec2/getAmi:getAmi:",
                    "  - args: { mostRecent: true, owners: [amazon] }",
                    "    result: { id: ami-0123456789abcdef0, architecture: x86_64 }",
                    "aws:ec2/getVpc:getVpc:",
                    "  - result: { id: vpc-0abc, cidrBlock: 10.0.0.0/16 }",
                    "  - args: ~",
                    "    result: {}",
                ),
            );
            assert.deepStrictEqual(readInvokeAnswers(yamlFile), {
                "aws:ec2/getAmi:getAmi": [{ args: { mostRecent: true, owners: ["amazon"] }, result: { id: "ami-0123456789abcdef0", architecture: "x86_64" } }],
                "aws:ec2/getVpc:getVpc": [{ result: { id: "vpc-0abc", cidrBlock: "10.0.0.0/16" } }, { result: {} }],
            });
            const jsonFile = write("Pulumi.b.invokes.yaml", JSON.stringify({ "mongodbatlas:index/getProject:getProject": [{ args: { name: "p" }, result: { id: "64f0" } }] }));
            assert.deepStrictEqual(readInvokeAnswers(jsonFile), { "mongodbatlas:index/getProject:getProject": [{ args: { name: "p" }, result: { id: "64f0" } }] });
            assert.deepStrictEqual(readInvokeAnswers(write("Pulumi.c.invokes.yaml", "# nothing yet\n")), {});
        });

        it("names the file and the problem when it is malformed", () => {
            const bad = (name: string, text: string, message: string | RegExp) => {
                const file = write(name, text);
                assertInvokeError(() => readInvokeAnswers(file), typeof message === "string" ? message.replace("FILE", file) : message);
            };
            bad("Pulumi.y1.invokes.yaml", "aws:ec2/getVpc:getVpc: [\n", /Pulumi\.y1\.invokes\.yaml is not valid YAML \(or JSON\): /);
            bad("Pulumi.y2.invokes.yaml", "- a\n- b\n", /Pulumi\.y2\.invokes\.yaml must map invoke tokens to lists of answers, like\n\naws:ec2\/getAmi:getAmi:\n {2}- args: \{ mostRecent: true \}\n {4}result: \{ id: ami-0123456789abcdef0 \}\n\nIt holds a list\.$/);
            bad("Pulumi.y3.invokes.yaml", "aws.ec2.getVpc:\n  - result: {}\n", "FILE: 'aws.ec2.getVpc' is not an invoke token. Tokens look like aws:ec2/getAmi:getAmi (module path, then the function); the check's message for an unanswered invoke names it.");
            bad("Pulumi.y4.invokes.yaml", "aws:ec2/getVpc:getVpc:\n  result: {}\n", /: aws:ec2\/getVpc:getVpc must hold a list of answers .*\n\nIt holds a mapping\.$/s);
            bad("Pulumi.y5.invokes.yaml", "aws:ec2/getVpc:getVpc:\n  - args: { default: true }\n", "FILE: answer 1 of aws:ec2/getVpc:getVpc has no 'result' (the outputs the invoke returns).");
            bad("Pulumi.y6.invokes.yaml", "aws:ec2/getVpc:getVpc:\n  - results: {}\n", "FILE: answer 1 of aws:ec2/getVpc:getVpc has the key 'results'; an answer has only 'args' and 'result'.");
            bad("Pulumi.y7.invokes.yaml", "aws:ec2/getVpc:getVpc:\n  - args: [default]\n    result: {}\n", "FILE: answer 1 of aws:ec2/getVpc:getVpc: 'args' must map argument names to values; it is a list.");
            bad("Pulumi.y8.invokes.yaml", "aws:ec2/getVpc:getVpc:\n  - result: vpc-1\n", 'FILE: answer 1 of aws:ec2/getVpc:getVpc: \'result\' must map output names to values; it is the string "vpc-1".');
            bad("Pulumi.y9.invokes.yaml", "aws:ec2/getVpc:getVpc:\n  - 3\n", "FILE: answer 1 of aws:ec2/getVpc:getVpc must be a mapping with a 'result' (and optionally 'args'); it is the number 3.");
        });

        describe("answering from it", () => {
            const answers = readInvokeAnswers(
                write(
                    "Pulumi.dev.invokes.yaml",
                    lines(
                        "aws:ec2/getSubnets:getSubnets:",
                        "  - args: { filters: [{ name: vpc-id, values: [vpc-1] }] }",
                        "    result: { ids: [subnet-a, subnet-b] }",
                        "  - args: { filters: [{ name: vpc-id, values: [vpc-2] }], tags: null }",
                        "    result: { ids: [subnet-c] }",
                        "aws:ec2/getAmi:getAmi:",
                        "  - args: { mostRecent: true, owners: ['123456789012'] }",
                        "    result: { id: ami-1 }",
                        "  - args: { mostRecent: true }",
                        "    result: { id: ami-2 }",
                        "aws:index/getRegion:getRegion:",
                        "  - result: { name: mars-north-1, region: mars-north-1, description: Mars, endpoint: ec2.mars, id: mars-north-1 }",
                    ),
                ),
            )!;
            const file = path.join(dir, "Pulumi.dev.invokes.yaml");
            const withAnswers = ctx({ answers, answersFile: file });

            it("answers with the first entry whose args all equal the call's, ignoring other arguments", () => {
                assert.deepStrictEqual(invokeResult("aws:ec2/getSubnets:getSubnets", { filters: [{ name: "vpc-id", values: ["vpc-2"] }] }, withAnswers), { ids: ["subnet-c"] });
                assert.deepStrictEqual(invokeResult("aws:ec2/getAmi:getAmi", { mostRecent: true, owners: ["123456789012"], nameRegex: "^al2023" }, withAnswers), { id: "ami-1" });
                assert.deepStrictEqual(invokeResult("aws:ec2/getAmi:getAmi", { mostRecent: true, owners: ["amazon"] }, withAnswers), { id: "ami-2" });
            });

            it("unwraps secret arguments to match them", () => {
                const secret = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: ["vpc-1"] };
                assert.deepStrictEqual(invokeResult("aws:ec2/getSubnets:getSubnets", { filters: [{ name: "vpc-id", values: secret }] }, withAnswers), { ids: ["subnet-a", "subnet-b"] });
            });

            it("gives a copy of the answer", () => {
                const r = invokeResult("aws:ec2/getAmi:getAmi", { mostRecent: true }, withAnswers);
                r.id = "changed";
                assert.deepStrictEqual(invokeResult("aws:ec2/getAmi:getAmi", { mostRecent: true }, withAnswers), { id: "ami-2" });
            });

            it("overrides a local answer", () => {
                assert.strictEqual(invokeResult(REGION, { region: "us-east-1" }, withAnswers).description, "Mars");
                assert.strictEqual(invokeResult(REGION, { region: "us-east-1" }, ctx({ answers: {}, answersFile: file })).description, "US East (N. Virginia)");
            });

            it("lists what each answer expects when none matches, with an entry to add", () => {
                assertInvokeError(
                    () => invokeResult("aws:ec2/getAmi:getAmi", { mostRecent: false, owners: ["self"] }, withAnswers),
                    lines(
                        `${file} has no answer for the invoke 'aws:ec2/getAmi:getAmi' with these arguments ({"mostRecent":false,"owners":["self"]}): answer 1 expects {"mostRecent":true,"owners":["123456789012"]} (mostRecent is false in the call, owners is ["self"] in the call); answer 2 expects {"mostRecent":true} (mostRecent is false in the call). Add an entry for them under aws:ec2/getAmi:getAmi, and fill in 'result' with the outputs the program reads:`,
                        "",
                        "  - args:",
                        "      mostRecent: false",
                        "      owners:",
                        "        - self",
                        "    result: {} # the outputs the program reads, by their Pulumi names",
                    ),
                );
            });

            it("fails an invoke with no answer, naming the token, the arguments, the file and the entry to paste", () => {
                const noFile = ctx({ answersFile: "/proj/Pulumi.dev.invokes.yaml" });
                assertInvokeError(
                    () => invokeResult("aws:ec2/getVpc:getVpc", { default: true, tags: { env: "dev" } }, noFile),
                    lines(
                        `The offline check has no answer for the invoke 'aws:ec2/getVpc:getVpc' (arguments: {"default":true,"tags":{"env":"dev"}}). A real preview asks the cloud; offline, the answer comes from /proj/Pulumi.dev.invokes.yaml, which does not exist yet. Add this entry to it and fill in 'result' with the outputs the program reads:`,
                        "",
                        "aws:ec2/getVpc:getVpc:",
                        "  - args:",
                        "      default: true",
                        "      tags:",
                        "        env: dev",
                        "    result: {} # the outputs the program reads, by their Pulumi names",
                    ),
                );
                assertInvokeError(() => invokeResult("aws:ec2/getVpc:getVpc", {}, withAnswers), new RegExp(`\\(arguments: none\\)\\. A real preview asks the cloud; offline, the answer comes from ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\. Add`));
            });

            it("never prints a secret argument, and leaves it out of the entry to paste", () => {
                const secret = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "s3cr3t-token" };
                let message = "";
                try {
                    invokeResult("aws:secretsmanager/getSecretVersion:getSecretVersion", { secretId: "acme/api-key", versionStage: secret, nested: [`${SECRET_PLACEHOLDER}`] }, ctx());
                } catch (e) {
                    message = (e as Error).message;
                }
                assert.ok(!message.includes("s3cr3t-token") && !message.includes(SECRET_PLACEHOLDER), message);
                assert.strictEqual(
                    message.split(". A real preview")[0],
                    `The offline check has no answer for the invoke 'aws:secretsmanager/getSecretVersion:getSecretVersion' (arguments: {"secretId":"acme/api-key","versionStage":"[secret]","nested":["[secret]"]})`,
                );
                assert.strictEqual(
                    message.split("the program reads:\n\n")[1],
                    lines(
                        "aws:secretsmanager/getSecretVersion:getSecretVersion:",
                        "  - args:",
                        "      secretId: acme/api-key",
                        "    result: {} # the outputs the program reads, by their Pulumi names",
                        "# left out of args, being secret (this answer matches any value of them): versionStage, nested",
                    ),
                );
            });

            it("accepts the entry it prints, once pasted with a result", () => {
                const call = { default: true, filters: [{ name: "tag:Name", values: ["main"] }], id: "012345678901" };
                let message = "";
                try {
                    invokeResult("aws:ec2/getVpc:getVpc", call, ctx());
                } catch (e) {
                    message = (e as Error).message;
                }
                const pasted = write("Pulumi.pasted.invokes.yaml", message.split("the program reads:\n\n")[1].replace("result: {}", "result: { id: vpc-9 }"));
                assert.deepStrictEqual(invokeResult("aws:ec2/getVpc:getVpc", call, ctx({ answers: readInvokeAnswers(pasted), answersFile: pasted })), { id: "vpc-9" });
            });
        });
    });

    it("answers what the project's own program asks (caller identity, zones and the ELB account of its regions)", () => {
        for (const region of ["us-west-2", "us-east-1", "eu-west-1", "eu-central-1"]) {
            const c = ctx({ providerRegion: region });
            assert.strictEqual(invokeResult(CALLER, {}, c).accountId, CHECK_ACCOUNT_ID);
            assert.ok((invokeResult(AZS, { region, state: "available" }, c).names as string[]).length >= 3);
            assert.match(invokeResult(ELB, { region }, c).arn as string, /^arn:aws:iam::\d{12}:root$/);
        }
    });
});
