// npm run bench — figures for the offline check (not a test: it prints, it does not judge).
//   1. the bare mock run of each stack (the program under the mock engine, preview mode);
//   2. the full check of each stack (program + pack start + Analyze/AnalyzeStack), and the share of
//      policy evaluation relative to the bare run;
//   3. the check on synthetic programs of 100, 1,000 and 5,000 resources: time and cost per resource.
import * as path from "path";
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
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
