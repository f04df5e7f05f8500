import * as assert from "assert";
import { crc32 } from "../../../tools/check/iamPolicyJson";
import { invokeResult } from "../../../tools/check/invokes";
import { ctx, POLICY, policyJson, lines, assertInvokeError } from "./fixtures";

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
                minifiedJson:
                    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}',
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
            const r = invokeResult(
                POLICY,
                { version: "2008-10-17", policyId: "p1", sourcePolicyDocuments: [src], overridePolicyDocuments: [] },
                ctx(),
            );
            assert.deepStrictEqual(
                [r.version, r.policyId, r.sourcePolicyDocuments, r.overridePolicyDocuments, r.json],
                ["2008-10-17", "p1", [src], [], lines("{", '  "Version": "2012-10-17",', '  "Id": "p1"', "}")],
            );
        });

        it("writes one action or resource as a string, several deduplicated and sorted in reverse", () => {
            assert.strictEqual(
                invokeResult(
                    POLICY,
                    {
                        statements: [
                            { actions: ["s3:GetObject", "s3:PutObject", "s3:GetObject", "s3:DeleteObject"], resources: ["*", "*"] },
                        ],
                    },
                    ctx(),
                ).minifiedJson,
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
                        {
                            statements: [
                                {
                                    sid: "S",
                                    actions: ["*"],
                                    resources: ["*"],
                                    principals: blocks.map((ids) => ({
                                        type: "AWS",
                                        identifiers: ids.map((a) => `arn:${partition}:iam::${a}:root`),
                                    })),
                                },
                            ],
                        },
                        ctx(),
                    ).minifiedJson as string,
                ).Statement[0].Principal.AWS.map((arn: string) => arn.split(":")[4]);
            const multiple = [["111111111111", "222222222222"], ["333333333333"], ["444444444444"]];
            assert.deepStrictEqual(principal("aws", multiple), ["333333333333", "444444444444", "222222222222", "111111111111"]);
            assert.deepStrictEqual(principal("aws-us-gov", multiple), ["333333333333", "222222222222", "111111111111", "444444444444"]);
            assert.deepStrictEqual(principal("aws", [["111111111111"], ["222222222222", "333333333333"]]), [
                "111111111111",
                "333333333333",
                "222222222222",
            ]);
        });

        it('groups principals by type, keys sorted, and writes a lone wildcard principal as "*"', () => {
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
            assert.deepStrictEqual(
                JSON.parse(r.minifiedJson as string).Statement.map((s: any) => s.Principal),
                [
                    { AWS: "arn:aws:iam::123456789012:root", Service: ["lambda.amazonaws.com", "ecs-tasks.amazonaws.com"] },
                    "*",
                    { "*": ["x", "*"] },
                ],
            );
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
                invokeResult(
                    POLICY,
                    { statements: [{ actions: ["s3:*"], resources: ['arn:aws:s3:::a&b<c>/\u2028"\\\n\t\u0001\b'] }] },
                    ctx(),
                ).minifiedJson,
                '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::a\\u0026b\\u003cc\\u003e/\\u2028\\"\\\\\\n\\t\\u0001\\b"}]}',
            );
        });

        // TestAccIAMPolicyDocumentDataSource_sourceList / _overrideList / _sourceConflicting.
        describe("merging source and override documents", () => {
            const doc = (...statements: Record<string, unknown>[]) => policyJson({ statements });
            const a = doc(
                { sid: "", effect: "Allow", actions: ["foo:ActionOne"] },
                { sid: "validSidOne", effect: "Allow", actions: ["bar:ActionOne"] },
            );
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
                    invokeResult(
                        POLICY,
                        {
                            sourcePolicyDocuments: [source],
                            statements: [{ sid: "SourceJSONTestConflicting", actions: ["*"], resources: ["*"] }],
                        },
                        ctx(),
                    ).minifiedJson,
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
                            principal: {
                                AWS: ["arn:aws:iam::111111111111:root", "arn:aws:iam::222222222222:root"],
                                Service: "s3.amazonaws.com",
                            },
                            condition: {
                                StringEquals: { "aws:PrincipalTag/team": "core" },
                                Bool: { "aws:SecureTransport": false },
                                NumericLessThan: { "s3:max-keys": 10 },
                            },
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
                assertInvokeError(
                    () => invokeResult(POLICY, { sourcePolicyDocuments: ["{"] }, ctx()),
                    /sourcePolicyDocuments\[0\] is not valid JSON \(the provider: "source_policy_documents\.0" contains an invalid JSON/,
                );
                assertInvokeError(
                    () => invokeResult(POLICY, { overridePolicyDocuments: ['{"Statement":{"Effect":"Allow"}}'] }, ctx()),
                    /merging override document 0: json: cannot unmarshal object into Go struct field iamPolicyDoc\.Statement of type \[\]\*iam\.iamPolicyStatement/,
                );
            });
        });

        describe("the provider's validation", () => {
            const refused = (args: Record<string, unknown>, reason: string) =>
                assertInvokeError(
                    () => invokeResult(POLICY, args, ctx()),
                    new RegExp(
                        `^The offline check cannot answer the invoke 'aws:iam/getPolicyDocument:getPolicyDocument' \\(arguments: .*\\): ${reason.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`,
                    ),
                );

            it("refuses two statements with one Sid", () =>
                refused(
                    {
                        statements: [
                            { sid: "A", actions: ["a:B"] },
                            { sid: "A", actions: ["a:C"] },
                        ],
                    },
                    "writing IAM Policy Document: duplicate Sid (A). Remove the Sid or ensure the Sid is unique.",
                ));
            it("refuses an effect other than Allow or Deny", () =>
                refused(
                    { statements: [{ effect: "Permit", actions: ["a:B"] }] },
                    'expected statements[0].effect to be one of ["Allow" "Deny"], got Permit',
                ));
            it("refuses a Sid that is not alphanumeric", () =>
                refused(
                    { statements: [{ sid: "no-dash", actions: ["a:B"] }] },
                    "invalid value for statements[0].sid (must only include alphanumeric characters): 'no-dash'",
                ));
            it("refuses an unknown version", () =>
                refused({ version: "2020-01-01" }, 'expected version to be one of ["2008-10-17" "2012-10-17"], got 2020-01-01'));
            it("refuses &{ in a 2008-10-17 document", () =>
                refused(
                    { version: "2008-10-17", statements: [{ actions: ["*"], resources: ["arn:aws:s3:::foo/&{aws:username}"] }] },
                    "found &{ sequence in (arn:aws:s3:::foo/&{aws:username}), which is not supported in document version 2008-10-17",
                ));
            it("refuses the removed sourceJson", () =>
                refused(
                    { sourceJson: "{}" },
                    `'sourceJson' is no longer used and must be empty (the provider: expected "source_json" to be an empty string); use 'sourcePolicyDocuments'.`,
                ));
        });
    });
});
