// npm run bench — figures for the offline check (not a test: it prints, it does not judge).
//   1. the bare mock run of each stack (the program under the mock engine, preview mode);
//   2. the full check of each stack (program + pack start + Analyze/AnalyzeStack), and the share of
//      policy evaluation relative to the bare run;
//   3. the check on synthetic programs of 100, 1,000 and 5,000 resources: time and cost per resource;
//   4. the yardstick: the real `pulumi preview` of each stack (the CLI built from its Go modules, see
//      tools/conformance) beside `npm run check` of the same stack, both as commands, same pack and config.
import { spawnSync } from "child_process";
import * as path from "path";
import { buildConformanceTools, ConformanceBuildError } from "../conformance/build";
import { prepareProgram, runPreview } from "../conformance/preview";
import { cheapStackTraces, runProgram } from "../check/engine";
import { runCheck } from "../check/check";
import { readStackConfig } from "../check/stackConfig";

const ROOT = path.join(__dirname, "..", "..");
const PACK = path.join(ROOT, "policies");
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (n: number) => `${n.toFixed(0).padStart(6)} ms`;

async function bareRun(stack: string, runs: number): Promise<number[]> {
    const sc = readStackConfig(ROOT, stack);
    const program = require(ROOT) as () => unknown;
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
        const t = process.hrtime.bigint();
        await runProgram({ ...sc, preview: true, program });
        times.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    return times;
}

async function main() {
    cheapStackTraces(); // as the check's CLI does
    console.log(`continuity check benchmark — node ${process.version}, ${require("os").cpus().length} cores\n`);
    console.log("1. bare mock run (preview), 5 runs after the first (module load) run");
    const bare: Record<string, number> = {};
    for (const stack of ["staging", "production"]) {
        const [first, ...rest] = await bareRun(stack, 6);
        bare[stack] = median(rest);
        console.log(`   ${stack.padEnd(11)} first ${ms(first)}   median ${ms(bare[stack])}`);
    }

    console.log("\n2. full check (in process; the CLI adds ts-node start-up), median of 3");
    for (const stack of ["staging", "production"]) {
        const runs = [];
        for (let i = 0; i < 3; i++) {
            runs.push(await runCheck({ projectDir: ROOT, stack, packs: [{ dir: PACK, configFile: path.join(PACK, "config", `${stack}.json`) }] }));
        }
        const total = median(runs.map((r) => r.timings.totalMs));
        const analyze = median(runs.map((r) => r.timings.analyzeMs));
        const program = median(runs.map((r) => r.timings.programMs));
        const packStart = median(runs.map((r) => r.timings.packStartMs));
        console.log(
            `   ${stack.padEnd(11)} total ${ms(total)}   program ${ms(program)}   waiting for the pack after it ${ms(packStart)}   ` +
                `Analyze+AnalyzeStack ${ms(analyze)}   policy evaluation / bare run = ${(analyze / bare[stack]).toFixed(2)}×`,
        );
    }

    console.log("\n3. synthetic programs (Atlas triples: cluster, linked schedule, alert), one check each");
    const synthetic = path.join(__dirname, "synthetic");
    const rows: { n: number; program: number; analyze: number; total: number }[] = [];
    for (const n of [100, 1000, 5000]) {
        process.env.BENCH_RESOURCES = String(n);
        const r = await runCheck({ projectDir: synthetic, stack: "bench", packs: [{ dir: PACK, configFile: path.join(PACK, "config", "staging.json") }] });
        const count = r.resources.length;
        const mandatory = r.packs[0].diagnostics.filter((d) => d.enforcementLevel === "mandatory").length;
        rows.push({ n: count, program: r.timings.programMs, analyze: r.timings.analyzeMs, total: r.timings.totalMs });
        console.log(
            `   ${String(count).padStart(5)} resources   total ${ms(r.timings.totalMs)}   program ${ms(r.timings.programMs)}   ` +
                `Analyze+AnalyzeStack ${ms(r.timings.analyzeMs)}   ${((r.timings.programMs + r.timings.analyzeMs) / count).toFixed(2)} ms/resource   ${mandatory} mandatory violations`,
        );
    }
    const [small, , large] = rows;
    const perSmall = (small.program + small.analyze) / small.n;
    const perLarge = (large.program + large.analyze) / large.n;
    console.log(`   cost per resource at ${large.n} vs ${small.n}: ${(perLarge / perSmall).toFixed(2)}× (1.00× = linear)`);

    await yardstick();
}

/** Wall time of `pulumi preview` (real CLI) and `npm run check` per stack, median of 3, both type-checking the program. */
async function yardstick() {
    console.log("\n4. the real CLI beside the check: `pulumi preview --policy-pack policies --policy-pack-config …` and");
    console.log("   `npm run check -- --stack …` (both as commands, the program type-checked), median of 3");
    try {
        // Built on first use (minutes; the build says so), cached afterwards.
        buildConformanceTools((line) => console.log(`   ${line}`), { standInLanguageHost: true });
    } catch (e) {
        if (!(e instanceof ConformanceBuildError)) throw e;
        console.log(`   the real CLI cannot be built here: ${e.message}`);
        return;
    }
    for (const stack of ["staging", "production"]) {
        const config = path.join(PACK, "config", `${stack}.json`);
        const checkRuns: number[] = [];
        const cliRuns: number[] = [];
        for (let i = 0; i < 3; i++) {
            const t = process.hrtime.bigint();
            const r = spawnSync(process.execPath, [require.resolve("ts-node/dist/bin"), "--transpile-only", "-P", path.join(ROOT, "tsconfig.json"), path.join(ROOT, "tools/check/index.ts"), "--stack", stack, "--cwd", ROOT], { encoding: "utf8" });
            checkRuns.push(Number(process.hrtime.bigint() - t) / 1e6);
            if (r.status !== 0) throw new Error(`npm run check -- --stack ${stack} exited with ${r.status}:\n${r.stderr}`);
            const prepared = prepareProgram(ROOT, stack);
            try {
                const p = await runPreview(prepared, stack, ["--policy-pack", PACK, "--policy-pack-config", config]);
                if (p.status !== 0) throw new Error(`pulumi preview --stack ${stack} exited with ${p.status}:\n${p.stdout}${p.stderr}`);
                cliRuns.push(p.seconds * 1000);
            } finally {
                prepared.cleanup();
            }
        }
        const check = median(checkRuns);
        const cli = median(cliRuns);
        console.log(`   ${stack.padEnd(11)} pulumi preview ${ms(cli)}   npm run check ${ms(check)}   check / CLI = ${(check / cli).toFixed(2)}×`);
    }
    console.log("   (the CLI here starts the stand-in language host and provider plugins of tools/conformance, Node.js processes;");
    console.log("   the real plugins are other programs, so this measures the engine's way of previewing, not a real deployment's)");
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
