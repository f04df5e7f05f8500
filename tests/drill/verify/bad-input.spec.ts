// `npm run drill:verify` (tools/drill) against local stand-ins (./fixtures.ts): bad input ends with exit code 2
// and the exact message, before any request.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { main, parseArgs, verify, VerifyDeps } from "../../../tools/drill/verify";
import { DrillInputError } from "../../../tools/drill/output";
import { NOW, verifyStand } from "./fixtures";

describe("drill:verify (tools/drill)", () => {
    let dir = "";
    const { atlas, source, drill, s3, output, writeOutputs, opts, deps } = verifyStand((d) => (dir = d));

    describe("bad input ends with exit code 2 and a message naming the flag, field or value, before any request", () => {
        const quiet = async (argv: string[], d: VerifyDeps) => {
            const errors: string[] = [];
            const error = console.error;
            console.error = (line: string) => errors.push(line);
            try {
                return { code: await main(argv, d), errors };
            } finally {
                console.error = error;
            }
        };
        const nothingAsked = () => {
            assert.deepStrictEqual([atlas.requests.length, source.requests.length, drill.requests.length, s3.calls().length], [0, 0, 0, 0]);
        };

        it("no --stack", async () => {
            assert.throws(
                () => parseArgs(["--outputs", "x.json"]),
                new DrillInputError(
                    "drill:verify: --stack is required: the drill stack whose output 'drill' to verify (e.g. --stack staging-drill).",
                ),
            );
            const r = await quiet(["--outputs", "x.json"], deps());
            assert.strictEqual(r.code, 2);
            assert.strictEqual(
                r.errors[0],
                "drill:verify: --stack is required: the drill stack whose output 'drill' to verify (e.g. --stack staging-drill).",
            );
        });

        it("an unknown flag, a flag without a value, a date that is no day", () => {
            assert.throws(
                () => parseArgs(["--stak", "x"]),
                /^DrillInputError: drill:verify: unknown argument '--stak'; the flags are --stack, --outputs, --out and --date\.$/,
            );
            assert.throws(() => parseArgs(["--stack"]), /^DrillInputError: drill:verify: --stack needs a value\.$/);
            assert.throws(
                () => parseArgs(["--stack", "s", "--date", "2026-02-30"]),
                /^DrillInputError: drill:verify: --date must be a real day written YYYY-MM-DD; found '2026-02-30'\.$/,
            );
            assert.deepStrictEqual(parseArgs(["--stack=s"], NOW), { stack: "s", out: path.join("docs", "drills"), date: "2026-04-15" });
        });

        it("an output without a field", async () => {
            const stores = output().stores.map((s, i) => (i === 0 ? { ...(s as object), restoreJobId: undefined } : s));
            const file = writeOutputs(output({}, stores));
            const r = await quiet(["--stack", "staging-drill", "--outputs", file], deps());
            assert.deepStrictEqual(r, {
                code: 2,
                errors: [`--outputs '${file}': stores[0] (atlas, atlas): field 'restoreJobId' is missing: it must be a non-empty string.`],
            });
            nothingAsked();
        });

        it("all of a stack's outputs in the file: the drill one is read, and a bad tier is named", async () => {
            const stores = output().stores.map((s, i) => (i === 1 ? { ...(s as object), tier: "Expedited" } : s));
            const file = writeOutputs({ drill: output({}, stores), other: 1 });
            await assert.rejects(
                verify(opts(file), deps()),
                new DrillInputError(
                    `--outputs '${file}': stores[1] (uploads, s3): field 'tier' must be Bulk or Standard; found 'Expedited'.`,
                ),
            );
            nothingAsked();
        });

        it("a drill whose region is the source's primary", async () => {
            const file = writeOutputs(output({ region: "us-west-2" }));
            const r = await quiet(["--stack", "staging-drill", "--outputs", file], deps());
            assert.deepStrictEqual(r, {
                code: 2,
                errors: [
                    `--outputs '${file}': field 'region' is 'us-west-2', the primary region of source stack 'staging' ` +
                        "(Pulumi.staging.yaml): " +
                        "a drill restores into the DR region, never into the primary.",
                ],
            });
            assert.deepStrictEqual(fs.readdirSync(dir).sort(), ["Pulumi.staging.yaml", "outputs.json"]);
            nothingAsked();
        });

        it("an output of another stack, and a missing connection string", async () => {
            const file = writeOutputs(output({ stack: "production-drill" }));
            await assert.rejects(
                verify(opts(file), deps()),
                new DrillInputError(
                    `--outputs '${file}': field 'stack' is 'production-drill', but --stack is 'staging-drill': ` +
                        "verify the stack that made the output.",
                ),
            );
            const env = { ...deps().env };
            delete env.DRILL_MONGODB_URI;
            await assert.rejects(
                verify(opts(writeOutputs(output())), deps({ env })),
                new DrillInputError(
                    "drill:verify: store 'atlas' (atlas) needs the drill cluster's connection string: " +
                        "set DRILL_MONGODB_URI (or DRILL_MONGODB_URI_ATLAS).",
                ),
            );
            nothingAsked();
        });
    });
});
