import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CHECK_ACCOUNT_ID } from "../../../tools/check/awsRegions";
import { invokeAnswersPath, readInvokeAnswers } from "../../../tools/check/invokeAnswers";
import { invokeResult } from "../../../tools/check/invokes";
import { SECRET_PLACEHOLDER } from "../../../tools/check/wire";
import { ctx, REGION, AZS, CALLER, ELB, lines, assertInvokeError } from "./fixtures";

describe("the check's invoke answers (tools/check/invokes.ts)", () => {
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
                "aws:ec2/getAmi:getAmi": [
                    { args: { mostRecent: true, owners: ["amazon"] }, result: { id: "ami-0123456789abcdef0", architecture: "x86_64" } },
                ],
                "aws:ec2/getVpc:getVpc": [{ result: { id: "vpc-0abc", cidrBlock: "10.0.0.0/16" } }, { result: {} }],
            });
            const jsonFile = write(
                "Pulumi.b.invokes.yaml",
                JSON.stringify({ "mongodbatlas:index/getProject:getProject": [{ args: { name: "p" }, result: { id: "64f0" } }] }),
            );
            assert.deepStrictEqual(readInvokeAnswers(jsonFile), {
                "mongodbatlas:index/getProject:getProject": [{ args: { name: "p" }, result: { id: "64f0" } }],
            });
            assert.deepStrictEqual(readInvokeAnswers(write("Pulumi.c.invokes.yaml", "# nothing yet\n")), {});
        });

        it("names the file and the problem when it is malformed", () => {
            const bad = (name: string, text: string, message: string | RegExp) => {
                const file = write(name, text);
                assertInvokeError(() => readInvokeAnswers(file), typeof message === "string" ? message.replace("FILE", file) : message);
            };
            bad("Pulumi.y1.invokes.yaml", "aws:ec2/getVpc:getVpc: [\n", /Pulumi\.y1\.invokes\.yaml is not valid YAML \(or JSON\): /);
            bad(
                "Pulumi.y2.invokes.yaml",
                "- a\n- b\n",
                /Pulumi\.y2\.invokes\.yaml must map invoke tokens to lists of answers, like\n\naws:ec2\/getAmi:getAmi:\n {2}- args: \{ mostRecent: true \}\n {4}result: \{ id: ami-0123456789abcdef0 \}\n\nIt holds a list\.$/,
            );
            bad(
                "Pulumi.y3.invokes.yaml",
                "aws.ec2.getVpc:\n  - result: {}\n",
                "FILE: 'aws.ec2.getVpc' is not an invoke token. Tokens look like aws:ec2/getAmi:getAmi (module path, then the function); the check's message for an unanswered invoke names it.",
            );
            bad(
                "Pulumi.y4.invokes.yaml",
                "aws:ec2/getVpc:getVpc:\n  result: {}\n",
                /: aws:ec2\/getVpc:getVpc must hold a list of answers .*\n\nIt holds a mapping\.$/s,
            );
            bad(
                "Pulumi.y5.invokes.yaml",
                "aws:ec2/getVpc:getVpc:\n  - args: { default: true }\n",
                "FILE: answer 1 of aws:ec2/getVpc:getVpc has no 'result' (the outputs the invoke returns).",
            );
            bad(
                "Pulumi.y6.invokes.yaml",
                "aws:ec2/getVpc:getVpc:\n  - results: {}\n",
                "FILE: answer 1 of aws:ec2/getVpc:getVpc has the key 'results'; an answer has only 'args' and 'result'.",
            );
            bad(
                "Pulumi.y7.invokes.yaml",
                "aws:ec2/getVpc:getVpc:\n  - args: [default]\n    result: {}\n",
                "FILE: answer 1 of aws:ec2/getVpc:getVpc: 'args' must map argument names to values; it is a list.",
            );
            bad(
                "Pulumi.y8.invokes.yaml",
                "aws:ec2/getVpc:getVpc:\n  - result: vpc-1\n",
                "FILE: answer 1 of aws:ec2/getVpc:getVpc: 'result' must map output names to values; it is the string \"vpc-1\".",
            );
            bad(
                "Pulumi.y9.invokes.yaml",
                "aws:ec2/getVpc:getVpc:\n  - 3\n",
                "FILE: answer 1 of aws:ec2/getVpc:getVpc must be a mapping with a 'result' (and optionally 'args'); it is the number 3.",
            );
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
                assert.deepStrictEqual(
                    invokeResult("aws:ec2/getSubnets:getSubnets", { filters: [{ name: "vpc-id", values: ["vpc-2"] }] }, withAnswers),
                    { ids: ["subnet-c"] },
                );
                assert.deepStrictEqual(
                    invokeResult(
                        "aws:ec2/getAmi:getAmi",
                        { mostRecent: true, owners: ["123456789012"], nameRegex: "^al2023" },
                        withAnswers,
                    ),
                    { id: "ami-1" },
                );
                assert.deepStrictEqual(invokeResult("aws:ec2/getAmi:getAmi", { mostRecent: true, owners: ["amazon"] }, withAnswers), {
                    id: "ami-2",
                });
            });

            it("unwraps secret arguments to match them", () => {
                const secret = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: ["vpc-1"] };
                assert.deepStrictEqual(
                    invokeResult("aws:ec2/getSubnets:getSubnets", { filters: [{ name: "vpc-id", values: secret }] }, withAnswers),
                    { ids: ["subnet-a", "subnet-b"] },
                );
            });

            it("gives a copy of the answer", () => {
                const r = invokeResult("aws:ec2/getAmi:getAmi", { mostRecent: true }, withAnswers);
                r.id = "changed";
                assert.deepStrictEqual(invokeResult("aws:ec2/getAmi:getAmi", { mostRecent: true }, withAnswers), { id: "ami-2" });
            });

            it("overrides a local answer", () => {
                assert.strictEqual(invokeResult(REGION, { region: "us-east-1" }, withAnswers).description, "Mars");
                assert.strictEqual(
                    invokeResult(REGION, { region: "us-east-1" }, ctx({ answers: {}, answersFile: file })).description,
                    "US East (N. Virginia)",
                );
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
                assertInvokeError(
                    () => invokeResult("aws:ec2/getVpc:getVpc", {}, withAnswers),
                    new RegExp(
                        `\\(arguments: none\\)\\. A real preview asks the cloud; offline, the answer comes from ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\. Add`,
                    ),
                );
            });

            it("never prints a secret argument, and leaves it out of the entry to paste", () => {
                const secret = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "s3cr3t-token" };
                let message = "";
                try {
                    invokeResult(
                        "aws:secretsmanager/getSecretVersion:getSecretVersion",
                        { secretId: "acme/api-key", versionStage: secret, nested: [`${SECRET_PLACEHOLDER}`] },
                        ctx(),
                    );
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
                const pasted = write(
                    "Pulumi.pasted.invokes.yaml",
                    message.split("the program reads:\n\n")[1].replace("result: {}", "result: { id: vpc-9 }"),
                );
                assert.deepStrictEqual(
                    invokeResult("aws:ec2/getVpc:getVpc", call, ctx({ answers: readInvokeAnswers(pasted), answersFile: pasted })),
                    { id: "vpc-9" },
                );
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
