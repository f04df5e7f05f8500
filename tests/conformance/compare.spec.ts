// The conformance suite's reading of the real CLI's output (tools/conformance/compare.ts), on event
// streams shaped as `pulumi preview --json` streams them with PULUMI_ENABLE_STREAMING_JSON_PREVIEW.
// The suite itself (which runs the CLI) is tests/conformance/cli.conformance.ts, in `npm run test:all`.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { CASES, cliOutcome, compareResources, ResourceView, surplus } from "../../tools/conformance/compare";

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const STACK = "urn:pulumi:test::p::pulumi:pulumi:Stack::p-test";
const EAST = "urn:pulumi:test::p::pulumi:providers:aws::east";
const BUCKET = "urn:pulumi:test::p::aws:s3/bucket:Bucket::data";
const DESCRIPTION = "Every data bucket is copied to another region.";

const pre = (urn: string, type: string, parent: string, provider: string, op = "create") => ({
    resourcePreEvent: { metadata: { op, urn, type, new: { type, urn, parent, provider } }, planning: true },
});
const violation = (level: string, message: string, urn = BUCKET) => ({
    policyEvent: { resourceUrn: urn, message, policyName: "storage-dr-copy", policyPackName: "continuity-guard", enforcementLevel: level },
});
const diagnostic = (severity: string, message: string) => ({ diagnosticEvent: { prefix: `${severity}: `, message, severity } });
const stream = (...events: object[]) => events.map((e, i) => JSON.stringify({ sequence: i, timestamp: 1, ...e })).join("\n") + "\n";
const descriptions = new Map([["continuity-guard/storage-dr-copy", DESCRIPTION]]);

describe("conformance suite: reading the real CLI's preview", () => {
    it("takes each resource's operation, type, parent and provider (the reference without its unknown id)", () => {
        const out = cliOutcome(
            stream(
                pre(STACK, "pulumi:pulumi:Stack", "", ""),
                pre(EAST, "pulumi:providers:aws", STACK, ""),
                pre(BUCKET, "aws:s3/bucket:Bucket", STACK, `${EAST}::${UNKNOWN}`),
            ),
            "",
            0,
            undefined,
            1,
            descriptions,
        );
        assert.strictEqual(out.exit, "pass");
        assert.deepStrictEqual(out.resources.get(BUCKET), { op: "create", type: "aws:s3/bucket:Bucket", parent: STACK, provider: EAST });
        assert.deepStrictEqual(out.resources.get(STACK), { op: "create", type: "pulumi:pulumi:Stack", parent: "", provider: "" });
        assert.strictEqual(out.resources.size, 3);
    });

    it("reads a violation without the description the policy SDK puts on its first line; a mandatory one alone is a mandatory violation", () => {
        const out = cliOutcome(
            stream(
                pre(BUCKET, "aws:s3/bucket:Bucket", STACK, ""),
                violation("mandatory", `${DESCRIPTION}\nThe data bucket 'data' has no copy.\n`),
                diagnostic("error", "preview failed\n"),
            ),
            "",
            255,
            undefined,
            1,
            descriptions,
        );
        assert.strictEqual(out.exit, "mandatory violation");
        assert.deepStrictEqual(out.violations, [
            `continuity-guard | storage-dr-copy | mandatory | ${BUCKET} | The data bucket 'data' has no copy.`,
        ]);
        assert.strictEqual(out.detail, "");
    });

    it("keeps a one-line message (the SDK's own note that a policy cannot run during preview) whole", () => {
        const note = "can't run policy 'storage-dr-copy' during preview: unknown values";
        const out = cliOutcome(stream(violation("advisory", `${note}\n`)), "", 0, undefined, 1, descriptions);
        assert.deepStrictEqual(out.violations, [`continuity-guard | storage-dr-copy | advisory | ${BUCKET} | ${note}`]);
        assert.strictEqual(out.exit, "pass");
    });

    it("an error beside the violations is an error, with the CLI's messages and its stderr as the detail", () => {
        const out = cliOutcome(
            stream(
                violation("mandatory", `${DESCRIPTION}\nno copy\n`),
                diagnostic("error", "failed to run policy: error reading from server: EOF\n"),
                diagnostic("error", "preview failed\n"),
            ),
            "error: something on stderr\n",
            255,
            undefined,
            1,
            descriptions,
        );
        assert.strictEqual(out.exit, "error");
        assert.strictEqual(out.detail, "failed to run policy: error reading from server: EOF\nerror: something on stderr");
    });

    it("a run the suite had to stop is an error that says so", () => {
        const out = cliOutcome(stream(diagnostic("error", "context canceled\n")), "", 255, 60, 61, descriptions);
        assert.strictEqual(out.exit, "error");
        assert.strictEqual(out.detail, "context canceled\ndid not finish within 60 s (stopped by the suite)");
    });

    it("names every resource difference: one side only, and each of operation, type, parent and provider", () => {
        const view = (parent: string, provider: string, op = "create"): ResourceView => ({
            op,
            type: "aws:s3/bucket:Bucket",
            parent,
            provider,
        });
        const cli = new Map([
            [BUCKET, view(STACK, EAST)],
            ["urn:x::only-cli", view(STACK, "")],
        ]);
        const check = new Map([
            [BUCKET, view("urn:other", "urn:default", "read")],
            ["urn:x::only-check", view(STACK, "")],
        ]);
        assert.deepStrictEqual(compareResources(cli, check), [
            `resource ${BUCKET}: op is 'create' in the CLI's preview, 'read' in the check`,
            `resource ${BUCKET}: parent is '${STACK}' in the CLI's preview, 'urn:other' in the check`,
            `resource ${BUCKET}: provider is '${EAST}' in the CLI's preview, 'urn:default' in the check`,
            "resource only in the CLI's preview: urn:x::only-cli",
            "resource only in the check: urn:x::only-check",
        ]);
        assert.deepStrictEqual(compareResources(cli, new Map(cli)), []);
    });

    it("counts a violation reported twice by one side as a difference", () => {
        assert.deepStrictEqual(surplus(["a", "b", "a"], ["a", "b"]), ["a"]);
        assert.deepStrictEqual(surplus(["a", "b"], ["b", "a", "a"]), []);
        assert.deepStrictEqual(surplus(["b", "a", "a"], ["a", "b"]), ["a"]);
    });

    it("has one case per fixture program and both stacks of this program, each allowed difference with a reason", () => {
        const names = CASES.map((c) => c.name);
        assert.strictEqual(new Set(names).size, names.length);
        const root = path.join(__dirname, "..", "..");
        assert.deepStrictEqual(
            CASES.filter((c) => c.dir === root).map((c) => c.stack),
            ["staging", "production"],
        );
        const programs = path.join(root, "tests", "fixtures", "programs");
        const fixtures = fs
            .readdirSync(programs, { withFileTypes: true })
            .filter((e) => e.isDirectory())
            .map((e) => e.name);
        const covered = new Set(CASES.map((c) => path.relative(programs, c.dir)));
        assert.deepStrictEqual(
            fixtures.filter((f) => !covered.has(f)),
            [],
        );
        for (const c of CASES)
            for (const a of c.allow ?? []) assert.ok(a.reason.length > 40, `${c.name}: an allow-list entry needs its reason`);
    });
});
