// tools/check/analyzer.ts against real policy packs started the way the Pulumi CLI starts them
// (run-policy-pack + ts-node type-check + the @pulumi/policy gRPC server). Each pack start costs a few
// seconds, so this file starts the packs it needs once, concurrently, in its before hook and shares them.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PACK_PRIORITY, startPolicyPack } from "../../../tools/check/packProcess";
import { AnalyzerInfo, PolicyPackClient } from "../../../tools/check/packTypes";
import { secretValue, UNKNOWN_VALUE } from "../../../tools/check/wire";
import {
    PACKS,
    HEALTHY,
    THROWS_AT_LOAD,
    POLICY_THROWS,
    thingUrn,
    resource,
    settle,
    expectPackError,
    rejection,
    writeCompileErrorPack,
} from "./fixtures";

describe("tools/check/analyzer", () => {
    let healthy: PolicyPackClient;
    let throwing: PolicyPackClient;
    let loadFailure: unknown;
    let compileFailure: unknown;
    let compileErrorDir: string;

    before(async () => {
        compileErrorDir = writeCompileErrorPack();
        const [h, t, l, c] = await Promise.all([
            settle(
                startPolicyPack(HEALTHY, {
                    stack: { organization: "acme", project: "continuity-test", stack: "ci", tags: { env: "test" } },
                }),
            ),
            settle(startPolicyPack(POLICY_THROWS)),
            settle(startPolicyPack(THROWS_AT_LOAD)),
            settle(startPolicyPack(compileErrorDir)),
        ]);
        if (h instanceof Error) {
            throw h;
        }
        if (t instanceof Error) {
            throw t;
        }
        healthy = h;
        throwing = t;
        loadFailure = l;
        compileFailure = c;
    });

    after(async () => {
        await Promise.all([healthy?.close(), throwing?.close()]);
        if (compileErrorDir) {
            fs.rmSync(compileErrorDir, { recursive: true, force: true });
        }
    });

    describe("a pack that fails to start", () => {
        it("names a directory that does not exist", async () => {
            const dir = path.join(PACKS, "no-such-pack");
            const err = expectPackError(await rejection(startPolicyPack(dir)));
            assert.equal(err.message, `policy pack ${dir} failed to start: no such directory`);
            assert.equal(err.packDir, dir);
            assert.equal(err.reason, "start");
            assert.equal(err.stderrTail, "");
        });

        it("names a directory without PulumiPolicy.yaml", async () => {
            const err = expectPackError(await rejection(startPolicyPack(__dirname)));
            assert.equal(
                err.message,
                `policy pack ${__dirname} failed to start: could not load PulumiPolicy.yaml: ` +
                    `${path.join(__dirname, "PulumiPolicy.yaml")} does not exist`,
            );
        });

        it("reports a pack that throws while loading, with its stderr tail", () => {
            const err = expectPackError(loadFailure);
            assert.equal(err.packDir, THROWS_AT_LOAD);
            assert.equal(err.reason, "start");
            assert.ok(
                err.message.startsWith(
                    `policy pack ${THROWS_AT_LOAD} failed to start: it exited with code 32 before printing its gRPC port\n` +
                        "--- last lines of the policy pack's stderr ---\n",
                ),
                err.message,
            );
            assert.match(err.stderrTail, /^error: \[runtime\] Running program '.*throws-at-load' failed with an unhandled exception:/);
            assert.match(err.stderrTail, /Error: fixture-throws-at-load: deliberately thrown while loading/);
            assert.ok(err.stderrTail.split("\n").length <= 20);
            assert.ok(!err.stderrTail.includes("\u001b["), "ANSI colour codes are stripped");
            assert.ok(err.message.endsWith(err.stderrTail));
        });

        it("reports a pack that does not type-check, with the compiler's message", () => {
            const err = expectPackError(compileFailure);
            assert.equal(err.packDir, compileErrorDir);
            assert.ok(err.message.startsWith(`policy pack ${compileErrorDir} failed to start: it exited with code`), err.message);
            assert.match(err.stderrTail, /index\.ts\(2,7\): error TS2322: Type 'string' is not assignable to type 'number'\./);
        });

        it("times out and kills a pack that does not print its port in time", async () => {
            const started = Date.now();
            const err = expectPackError(await rejection(startPolicyPack(HEALTHY, { timeoutMs: 300 })));
            assert.equal(
                err.message.split("\n")[0],
                `policy pack ${HEALTHY} failed to start: timed out after 300 ms waiting for its gRPC port`,
            );
            assert.equal(err.reason, "start");
            assert.ok(Date.now() - started < 5_000, "the child is killed promptly, not left to finish starting");
        });
    });

    describe("a pack that starts", () => {
        it("runs below the program's CPU priority (nice 10), so that on busy cores the program goes first", () => {
            // This process's children (Linux's /proc) started from run-policy-pack: the packs the before hook started.
            const packs = fs
                .readdirSync("/proc")
                .filter((d) => /^\d+$/.test(d))
                .filter((pid) => {
                    try {
                        const ppid = Number(fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ")[1]);
                        return ppid === process.pid && fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("run-policy-pack");
                    } catch {
                        return false; // ended meanwhile
                    }
                });
            assert.equal(packs.length, 2, "the healthy and the throwing pack");
            assert.deepEqual(
                packs.map((pid) => os.getPriority(Number(pid))),
                [PACK_PRIORITY, PACK_PRIORITY],
            );
            assert.equal(PACK_PRIORITY, 10);
        });
    });

    describe("GetAnalyzerInfo", () => {
        it("returns the pack's metadata, policies sorted by name as the CLI sorts them", async () => {
            const info = await healthy.getAnalyzerInfo();
            assert.deepEqual(info, {
                name: "fixture-healthy",
                version: "1.2.3",
                supportsConfig: true,
                policies: [
                    {
                        name: "always-off",
                        description: "Disabled by default; fires for every Thing once enabled.",
                        enforcementLevel: "disabled",
                        policyType: "resource",
                    },
                    {
                        name: "stack-shape",
                        description: "Echoes what the engine sent for each Thing.",
                        enforcementLevel: "advisory",
                        policyType: "stack",
                        configSchema: { properties: { note: { type: "string", default: "default-note" } } },
                    },
                    {
                        name: "thing-max-size",
                        description: "Things must not be larger than maxSize.",
                        enforcementLevel: "mandatory",
                        policyType: "resource",
                        severity: "high",
                        configSchema: {
                            properties: {
                                maxSize: { type: "number", default: 10 },
                                unit: { type: "string", enum: ["GB", "TB"], default: "GB" },
                            },
                        },
                    },
                ],
            } satisfies AnalyzerInfo);
        });
    });

    describe("Analyze, per resource", () => {
        let info: AnalyzerInfo;
        before(async () => {
            info = await healthy.getAnalyzerInfo();
        });

        const sizeViolation = (name: string, text: string, level: "mandatory" | "advisory" = "mandatory") => ({
            policyPackName: "fixture-healthy",
            policyPackVersion: "1.2.3",
            policyName: "thing-max-size",
            description: "Things must not be larger than maxSize.",
            message: `Things must not be larger than maxSize.\n${text}`,
            enforcementLevel: level,
            urn: thingUrn(name),
            severity: "high",
        });

        it("applies configSchema defaults when no config file is given", async () => {
            await healthy.configure(undefined, info);
            const diags = await healthy.analyze([
                resource("big", { size: 11 }),
                resource("fits", { size: 10 }),
                resource("other", { size: 99 }, "test:index:Other"),
            ]);
            assert.deepEqual(diags, [sizeViolation("big", "size 11GB exceeds maxSize 10GB")]);
        });

        it("passes configured properties over the defaults", async () => {
            await healthy.configure({ "thing-max-size": { maxSize: 20, unit: "TB" } }, info);
            const diags = await healthy.analyze([resource("mid", { size: 11 }), resource("huge", { size: 25 })]);
            assert.deepEqual(diags, [sizeViolation("huge", "size 25TB exceeds maxSize 20TB")]);
        });

        it("takes a string entry as an enforcement level and keeps the defaults", async () => {
            await healthy.configure({ "thing-max-size": "advisory" }, info);
            const diags = await healthy.analyze([resource("big", { size: 11 })]);
            assert.deepEqual(diags, [sizeViolation("big", "size 11GB exceeds maxSize 10GB", "advisory")]);
        });

        it('"all": "advisory" downgrades every policy, enabling a disabled one too', async () => {
            await healthy.configure({ all: "advisory" }, info);
            const diags = await healthy.analyze([resource("big", { size: 11 })]);
            assert.deepEqual(diags, [
                sizeViolation("big", "size 11GB exceeds maxSize 10GB", "advisory"),
                {
                    policyPackName: "fixture-healthy",
                    policyPackVersion: "1.2.3",
                    policyName: "always-off",
                    description: "Disabled by default; fires for every Thing once enabled.",
                    message: "Disabled by default; fires for every Thing once enabled.\nalways-off saw big",
                    enforcementLevel: "advisory",
                    urn: thingUrn("big"),
                },
            ]);
        });

        it('a per-policy level beats "all"', async () => {
            await healthy.configure({ all: "disabled", "thing-max-size": "mandatory" }, info);
            const diags = await healthy.analyze([resource("big", { size: 11 })]);
            assert.deepEqual(diags, [sizeViolation("big", "size 11GB exceeds maxSize 10GB")]);
        });

        it("an unknown value makes the SDK emit its advisory can't-run-during-preview diagnostic", async () => {
            await healthy.configure(undefined, info);
            const diags = await healthy.analyze([resource("pending", { size: UNKNOWN_VALUE })]);
            assert.deepEqual(diags, [
                {
                    policyPackName: "fixture-healthy",
                    policyPackVersion: "1.2.3",
                    policyName: "thing-max-size",
                    description: "Things must not be larger than maxSize.",
                    message:
                        "can't run policy 'thing-max-size' from policy pack 'fixture-healthy@v1.2.3' during preview: " +
                        "string value at .size can't be known during preview",
                    enforcementLevel: "advisory",
                    urn: thingUrn("pending"),
                    severity: "high",
                },
            ]);
        });

        it("secrets arrive unwrapped to the policy", async () => {
            await healthy.configure(undefined, info);
            const diags = await healthy.analyze([resource("hidden", { size: secretValue(12) })]);
            assert.deepEqual(diags, [sizeViolation("hidden", "size 12GB exceeds maxSize 10GB")]);
        });

        it("rejects a value that is not plain JSON data", async () => {
            const err = await rejection(healthy.analyze([resource("bad", { when: new Date(0) })]));
            assert.ok(err instanceof TypeError);
            assert.equal(
                err.message,
                `${thingUrn("bad")} properties.when: a value of type Date cannot be sent to a policy pack (use plain JSON data)`,
            );
        });
    });
});
