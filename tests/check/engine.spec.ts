import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as aws from "@pulumi/aws";
import { parseDuration, runProgram } from "../../tools/check/engine";
import { readStackConfig, StackConfigError } from "../../tools/check/stackConfig";
import { SECRET_PLACEHOLDER, UNKNOWN_VALUE as UNKNOWN } from "../../tools/check/wire";

describe("the check's engine side (tools/check)", () => {
    it("records resource options as the engine passes them to analyzers", async () => {
        const run = await runProgram({
            project: "p",
            stack: "s",
            config: {},
            preview: true,
            program: () => {
                new aws.sns.Topic(
                    "t",
                    { region: "us-west-2" },
                    {
                        protect: true,
                        ignoreChanges: ["tags"],
                        deleteBeforeReplace: true,
                        customTimeouts: { create: "1h30m", delete: "90s" },
                        aliases: ["urn:pulumi:s::p::aws:sns/topic:Topic::old"],
                    },
                );
            },
        });
        const t = run.resources.find((r) => r.type === "aws:sns/topic:Topic")!;
        assert.strictEqual(t.urn, "urn:pulumi:s::p::aws:sns/topic:Topic::t");
        assert.deepStrictEqual(t.options, {
            protect: true,
            ignoreChanges: ["tags"],
            deleteBeforeReplace: true,
            aliases: ["urn:pulumi:s::p::aws:sns/topic:Topic::old"],
            customTimeouts: { create: 5400, update: undefined, delete: 90 },
        });
        assert.strictEqual(t.parent, "urn:pulumi:s::p::pulumi:pulumi:Stack::p-s");
    });

    it("leaves what the provider computes unknown in a preview, and fills it after an update", async () => {
        const program = () => {
            const topic = new aws.sns.Topic("t", { region: "eu-west-1" });
            new aws.sns.TopicPolicy("tp", { region: "eu-west-1", arn: topic.arn, policy: "{}" });
        };
        const preview = await runProgram({ project: "p", stack: "s", config: {}, preview: true, program });
        assert.strictEqual(preview.resources.find((r) => r.name === "tp")!.properties.arn, UNKNOWN);
        const update = await runProgram({ project: "p", stack: "s", config: {}, preview: false, program });
        assert.strictEqual(update.resources.find((r) => r.name === "tp")!.properties.arn, "arn:aws:sns:eu-west-1:123456789012:t");
    });

    it("fails an invoke it has no answer for, naming it", async () => {
        await assert.rejects(
            runProgram({ project: "p", stack: "s", config: {}, preview: true, program: async () => aws.ec2.getVpc({ default: true }) }),
            /^InvokeError: The offline check has no answer for the invoke 'aws:ec2\/getVpc:getVpc' \(arguments: \{"default":true\}\)\./,
        );
    });

    it("parses custom timeouts as the engine sends them (seconds)", () => {
        assert.strictEqual(parseDuration("1h30m"), 5400);
        assert.strictEqual(parseDuration("2m30s"), 150);
        assert.strictEqual(parseDuration(""), undefined);
    });

    describe("stack configuration as the CLI builds it", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "continuity-stack-"));
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: demo\nruntime: nodejs\n");
        fs.writeFileSync(
            path.join(dir, "Pulumi.dev.yaml"),
            [
                "config:",
                "  aws:region: eu-west-1",
                "  retries: 3",
                "  demo:flags:",
                "    enabled: true",
                "    token:",
                "      secure: v1:AAAA",
                "  demo:apiKey:",
                "    secure: v1:BBBB",
            ].join("\n"),
        );

        it("qualifies keys, keeps scalars as text and structures as JSON, and never decrypts a secret", () => {
            const c = readStackConfig(dir, "dev");
            assert.deepStrictEqual(c.config, {
                "aws:region": "eu-west-1",
                "demo:retries": "3",
                "demo:flags": JSON.stringify({ enabled: true, token: SECRET_PLACEHOLDER }),
                "demo:apiKey": SECRET_PLACEHOLDER,
            });
            assert.deepStrictEqual(c.secretKeys.sort(), ["demo:apiKey", "demo:flags"]);
            assert.strictEqual(c.project, "demo");
        });

        it("names the missing stack file", () => {
            assert.throws(
                () => readStackConfig(dir, "prod"),
                (e: Error) => {
                    assert.ok(e instanceof StackConfigError);
                    assert.strictEqual(e.message, `${path.join(dir, "Pulumi.prod.yaml")} does not exist.`);
                    return true;
                },
            );
        });
    });
});
