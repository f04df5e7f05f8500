// The compile cache (tools/check/compile-cache.js) spares the type-check of a pack or program whose
// inputs have not changed, and never the verdict: a type error introduced after a clean compile was
// cached still fails, whether in a compiled file or in a file read only for its types.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { runCheck } from "../../tools/check/check";
import { runProgramProcess } from "../../tools/check/host";
import { startPolicyPack } from "../../tools/check/packProcess";
import { PolicyPackError } from "../../tools/check/packTypes";
import { readProject } from "../../tools/check/project";
import { readStackConfig } from "../../tools/check/stackConfig";
import { ROOT } from "../helpers/program";

const FIXTURES = path.join(ROOT, "tests", "fixtures");
const HEALTHY = path.join(FIXTURES, "packs", "healthy");

/** What the cache did in each process (its debug log): "hit" or "miss" per process, in order. */
function outcomes(log: string): string[] {
    if (!fs.existsSync(log)) return [];
    const lines = fs.readFileSync(log, "utf8").split("\n");
    return lines.filter((l) => / (hit|miss) /.test(l)).map((l) => (l.includes(" hit ") ? "hit" : "miss"));
}

describe("the compile cache of program and pack processes (tools/check/compile-cache.js)", () => {
    let work: string;
    let env: NodeJS.ProcessEnv;
    let log: string;

    beforeEach(() => {
        // Inside the repository, so that the copies resolve @pulumi/* from its node_modules.
        work = fs.mkdtempSync(path.join(FIXTURES, "packs", ".tmp-cache-"));
        log = path.join(work, "cache.log");
        env = { CONTINUITY_CHECK_CACHE_DIR: path.join(work, "cache"), CONTINUITY_COMPILE_CACHE_DEBUG: log };
    });
    afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

    describe("a pack", () => {
        let pack: string;
        const start = async () => (await startPolicyPack(pack, { env })).close();
        const startFailure = async (): Promise<PolicyPackError> => {
            try {
                await start();
            } catch (e) {
                assert.ok(e instanceof PolicyPackError, String(e));
                return e;
            }
            throw new Error("the pack started");
        };

        beforeEach(() => {
            pack = path.join(work, "pack");
            fs.cpSync(HEALTHY, pack, { recursive: true });
            // A file the pack reads only for a type: its change must invalidate the cache too.
            fs.writeFileSync(path.join(pack, "limits.ts"), "export interface Limits {\n    max: number;\n}\n");
            const index = fs.readFileSync(path.join(pack, "index.ts"), "utf8");
            const typed = `${index}\nimport type { Limits } from "./limits";\nexport const limits: Limits = { max: 1 };\n`;
            fs.writeFileSync(path.join(pack, "index.ts"), typed);
        });

        it("is served from the cache once it compiled clean, and type-checked again after any change", async () => {
            await start();
            await start();
            assert.deepStrictEqual(outcomes(log), ["miss", "hit"]);
            assert.strictEqual(fs.readdirSync(path.join(work, "cache")).filter((f) => f.endsWith(".json")).length, 1);
            fs.appendFileSync(path.join(pack, "index.ts"), "// a comment changes nothing but the text\n");
            await start();
            await start();
            assert.deepStrictEqual(outcomes(log), ["miss", "hit", "miss", "hit"]);
        });

        it("still fails on a type error introduced into a compiled file after a clean compile was cached", async () => {
            await start();
            fs.appendFileSync(path.join(pack, "index.ts"), 'export const size: number = "ten";\n');
            const err = await startFailure();
            assert.match(err.stderrTail, /index\.ts\(\d+,14\): error TS2322: Type 'string' is not assignable to type 'number'\./);
            // And again: a failed compile is never cached.
            assert.match((await startFailure()).stderrTail, /error TS2322/);
            assert.deepStrictEqual(outcomes(log), ["miss", "miss", "miss"]);
        });

        it("still fails when only a file read for its types changes", async () => {
            await start();
            fs.writeFileSync(path.join(pack, "limits.ts"), "export interface Limits {\n    max: string;\n}\n");
            const err = await startFailure();
            assert.match(err.stderrTail, /index\.ts\(\d+,\d+\): error TS2322: Type 'number' is not assignable to type 'string'\./);
        });

        it("fails the whole check, as without a cache, when the pack's copy has a type error", async () => {
            const project = path.join(FIXTURES, "programs", "relative-files");
            const packs = [{ dir: pack }];
            const programEnv = { PULUMI_NODEJS_TRANSPILE_ONLY: "true" };
            const saved = { ...process.env };
            Object.assign(process.env, env);
            try {
                const clean = await runCheck({ projectDir: project, stack: "test", packs, programEnv });
                assert.strictEqual(clean.packs[0].info.name, "fixture-healthy");
                fs.appendFileSync(path.join(pack, "index.ts"), 'export const size: number = "ten";\n');
                await assert.rejects(runCheck({ projectDir: project, stack: "test", packs, programEnv }), (e: unknown) => {
                    assert.ok(e instanceof PolicyPackError);
                    assert.match(e.message, /failed to start: it exited with code/);
                    assert.match(e.stderrTail, /error TS2322: Type 'string' is not assignable to type 'number'\./);
                    return true;
                });
            } finally {
                process.env = saved;
            }
        });
    });

    describe("a program", () => {
        it("still fails on a type error introduced after a clean compile was cached", async () => {
            const dir = path.join(work, "program");
            fs.cpSync(path.join(FIXTURES, "programs", "type-error"), dir, { recursive: true });
            const index = path.join(dir, "index.ts");
            const run = () => {
                const sc = readStackConfig(dir, "test");
                const typeChecked = { ...env, PULUMI_NODEJS_TRANSPILE_ONLY: "" };
                const { config, secretKeys } = sc;
                return runProgramProcess({ project: readProject(dir), stack: "test", config, secretKeys, env: typeChecked });
            };
            const edit = (from: string, to: string) => fs.writeFileSync(index, fs.readFileSync(index, "utf8").replace(from, to));
            edit('const retentionDays: string = "30";', "const retentionDays: number = 30;");
            assert.strictEqual((await run()).resources.filter((r) => r.type === "aws:cloudwatch/logGroup:LogGroup").length, 1);
            assert.strictEqual((await run()).resources.filter((r) => r.type === "aws:cloudwatch/logGroup:LogGroup").length, 1);
            edit("const retentionDays: number = 30;", 'const retentionDays: string = "30";');
            const typeError = /index\.ts\(5,38\): error TS2322: Type 'string' is not assignable to type 'Input<number \| undefined>'\./;
            await assert.rejects(run(), typeError);
            assert.deepStrictEqual(outcomes(log), ["miss", "hit", "miss"]);
        });
    });
});
