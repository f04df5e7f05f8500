// npm run bench [-- --json] [--runs <n>] [--sizes 100,1000,5000] [--stacks staging,production] [--cli]
// Figures for the offline check (not a test: it prints, it does not judge). Names and units: README,
// "Performance". With --json, one JSON document on stdout and nothing else.
//   1. each stack as processes, as a user runs them: the bare mock run (tools/bench/bare.ts: the
//      program alone, same start-up) and the check, with the compile cache warm (median of --runs),
//      and the check once with an empty cache (every compile type-checked, as a first run);
//   2. where the check's time goes, in process (runCheck's timings, median of --runs);
//   3. synthetic programs (tools/bench/synthetic) of --sizes resources: the bare program run beside
//      the check of the same program, in process;
//   4. with --cli only: the real `pulumi preview` of each stack (the CLI built from its Go modules, see
//      tools/conformance) beside the check, both as commands.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runCheck } from "../check/check";
import { cheapStackTraces } from "../check/engine";
import { runProgramProcess } from "../check/host";
import { readProject } from "../check/project";
import { readStackConfig } from "../check/stackConfig";
import { Figures, measureProcess, median, procCpuAvailable } from "./figures";

const ROOT = path.join(__dirname, "..", "..");
const PACK = path.join(ROOT, "policies");
const SYNTHETIC = path.join(__dirname, "synthetic");
const TS_NODE = require.resolve("ts-node/dist/bin");

interface Options {
    json: boolean;
    runs: number;
    sizes: number[];
    stacks: string[];
    cli: boolean;
}

function parse(argv: string[]): Options {
    const value = (flag: string) => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : undefined);
    const list = (flag: string, fallback: string) => (value(flag) ?? fallback).split(",").filter(Boolean);
    return {
        json: argv.includes("--json"),
        runs: Number(value("--runs") ?? 3),
        sizes: list("--sizes", "100,1000,5000").map(Number),
        stacks: list("--stacks", "staging,production"),
        cli: argv.includes("--cli"),
    };
}

/** A command as `npm run check` runs it, minus npm: ts-node --transpile-only <script> <args>. */
function tsNodeCommand(script: string, args: string[]): string[] {
    return [TS_NODE, "--transpile-only", "-P", path.join(ROOT, "tsconfig.json"), path.join(ROOT, script), ...args];
}

async function stacks(o: Options, f: Figures, say: (line: string) => void): Promise<void> {
    say(`1. each stack as processes (median of ${o.runs}, compile cache warm; cold = empty cache, one run)`);
    for (const stack of o.stacks) {
        const args = ["--stack", stack, "--cwd", ROOT];
        // Warms the compile cache (program, pack and the check's own sources), and checks the stack passes.
        const first = measureProcess(tsNodeCommand("tools/check/index.ts", args));
        if (first.status !== 0) throw new Error(`npm run check -- --stack ${stack} exited with ${first.status}:\n${first.stderr}`);
        const bare = [];
        const check = [];
        for (let i = 0; i < o.runs; i++) {
            bare.push(measureProcess(tsNodeCommand("tools/bench/bare.ts", args)));
            check.push(measureProcess(tsNodeCommand("tools/check/index.ts", args)));
        }
        const coldDir = fs.mkdtempSync(path.join(os.tmpdir(), "continuity-bench-cache-"));
        const cold = measureProcess(tsNodeCommand("tools/check/index.ts", args), { CONTINUITY_CHECK_CACHE_DIR: coldDir });
        fs.rmSync(coldDir, { recursive: true, force: true });
        const b = median(bare.map((r) => r.wallMs));
        const c = median(check.map((r) => r.wallMs));
        f.add(`${stack}.bareProcess.wall`, b, "ms", "the program alone as a process (tools/bench/bare.ts), compile cache warm");
        f.add(`${stack}.checkProcess.wall`, c, "ms", "npm run check as a process (without npm's own start), compile cache warm");
        f.add(`${stack}.checkProcess.ratioToBare`, c / b, "ratio", "check process wall / bare process wall (target ≤ 1.2)");
        f.add(`${stack}.checkProcessColdCache.wall`, cold.wallMs, "ms", "the check as a process with an empty compile cache (one run)");
        if (procCpuAvailable()) {
            f.add(`${stack}.bareProcess.cpu`, median(bare.map((r) => r.cpuMs!)), "ms", "user + system CPU of the process and its children");
            const cpu = "user + system CPU of the process and its children";
            f.add(`${stack}.checkProcess.cpu`, median(check.map((r) => r.cpuMs!)), "ms", cpu);
            f.add(`${stack}.checkProcessColdCache.cpu`, cold.cpuMs!, "ms", "user + system CPU of the process and its children");
        }
        say(
            `   ${stack.padEnd(11)} bare ${f.ms(`${stack}.bareProcess.wall`)}   check ${f.ms(`${stack}.checkProcess.wall`)}   ` +
                `check / bare = ${f.x(`${stack}.checkProcess.ratioToBare`)} (target ≤ 1.20×)   ` +
                `cold cache ${f.ms(`${stack}.checkProcessColdCache.wall`)}` +
                (procCpuAvailable() ? `   CPU bare ${f.ms(`${stack}.bareProcess.cpu`)} check ${f.ms(`${stack}.checkProcess.cpu`)}` : ""),
        );
    }
    if (o.stacks.includes("production")) {
        const wall = f.value("production.checkProcess.wall");
        const verdict = wall <= 3000 ? "met" : "not met";
        say(`   production check as a process: ${(wall / 1000).toFixed(2)} s (target ≤ 3 s on 2 cores: ${verdict})`);
    }
}

async function inProcess(o: Options, f: Figures, say: (line: string) => void): Promise<void> {
    say(`\n2. where the check's time goes, in process (median of ${o.runs})`);
    for (const stack of o.stacks) {
        const runs: Awaited<ReturnType<typeof runCheck>>[] = [];
        for (let i = 0; i < o.runs; i++) {
            const packs = [{ dir: PACK, configFile: path.join(PACK, "config", `${stack}.json`) }];
            runs.push(await runCheck({ projectDir: ROOT, stack, packs }));
        }
        const m = (k: "programMs" | "packStartMs" | "analyzeMs" | "totalMs") => median(runs.map((r) => r.timings[k]));
        f.add(`${stack}.inProcess.program`, m("programMs"), "ms", "the program process, while the pack starts and Analyze runs beside it");
        f.add(`${stack}.inProcess.packWaitAfterProgram`, m("packStartMs"), "ms", "waiting for the pack once the program has finished");
        const after = "Analyze calls still open + AnalyzeStack once the program has finished";
        f.add(`${stack}.inProcess.analyzeAfterProgram`, m("analyzeMs"), "ms", after);
        f.add(`${stack}.inProcess.total`, m("totalMs"), "ms", "the whole runCheck");
        say(
            `   ${stack.padEnd(11)} total ${f.ms(`${stack}.inProcess.total`)}   program ${f.ms(`${stack}.inProcess.program`)}   ` +
                `then waiting for the pack ${f.ms(`${stack}.inProcess.packWaitAfterProgram`)}   ` +
                `then Analyze+AnalyzeStack ${f.ms(`${stack}.inProcess.analyzeAfterProgram`)}`,
        );
    }
}

async function synthetic(o: Options, f: Figures, say: (line: string) => void): Promise<void> {
    say("\n3. synthetic programs (Atlas triples: cluster, linked schedule, alert): the bare program run beside the check, in process");
    const project = readProject(SYNTHETIC);
    const sc = readStackConfig(SYNTHETIC, "bench");
    const pack = { dir: PACK, configFile: path.join(PACK, "config", "staging.json") };
    for (const n of o.sizes) {
        process.env.BENCH_RESOURCES = String(n);
        const runs = n >= 5000 ? 1 : o.runs;
        const bare: number[] = [];
        const check: number[] = [];
        let count = 0;
        let after = 0;
        for (let i = 0; i < runs; i++) {
            const t = Date.now();
            await runProgramProcess({ project, stack: "bench", config: sc.config, secretKeys: sc.secretKeys });
            bare.push(Date.now() - t);
            const r = await runCheck({ projectDir: SYNTHETIC, stack: "bench", packs: [pack] });
            check.push(r.timings.totalMs);
            count = r.resources.length;
            after = r.timings.packStartMs + r.timings.analyzeMs;
        }
        const key = `synthetic.${n}`;
        f.add(`${key}.resources`, count, "resources", "resources in the check (program's and default providers)");
        f.add(`${key}.bareProgram.wall`, median(bare), "ms", "the program process alone");
        f.add(`${key}.check.wall`, median(check), "ms", "the whole check of the same program");
        f.add(`${key}.check.afterProgram`, after, "ms", "what the check still did once the program had finished (last run)");
        f.add(`${key}.ratioToBare`, median(check) / median(bare), "ratio", "check / bare program run (target ≤ 1.2 at 5,000)");
        f.add(`${key}.check.perResource`, median(check) / count, "ms", "check wall per resource");
        say(
            `   ${String(count).padStart(5)} resources   bare ${f.ms(`${key}.bareProgram.wall`)}   check ${f.ms(`${key}.check.wall`)}   ` +
                `check / bare = ${f.x(`${key}.ratioToBare`)}   after the program ${f.ms(`${key}.check.afterProgram`)}   ` +
                `${f.value(`${key}.check.perResource`).toFixed(2)} ms/resource`,
        );
    }
    delete process.env.BENCH_RESOURCES;
}

async function main(): Promise<void> {
    const o = parse(process.argv.slice(2));
    cheapStackTraces(); // as the check's CLI does
    const say = (line: string) => (o.json ? undefined : console.log(line));
    const f = new Figures();
    const loadStart = os.loadavg();
    const load = (l: number[]) => l.map((x) => x.toFixed(1)).join(" ");
    say(`continuity check benchmark — node ${process.version}, ${os.cpus().length} cores, load ${load(loadStart)}\n`);
    await stacks(o, f, say);
    await inProcess(o, f, say);
    await synthetic(o, f, say);
    if (o.cli) {
        const { yardstick } = await import("./cli");
        await yardstick(o.stacks, o.runs, f, say);
    }
    const loadEnd = os.loadavg();
    say(`\nload at the end ${load(loadEnd)} (figures from a loaded machine are not comparable)`);
    if (o.json) {
        const doc = {
            schema: "continuity-bench/1",
            measuredAt: new Date().toISOString(),
            machine: {
                node: process.version,
                platform: process.platform,
                cores: os.cpus().length,
                loadAverageStart: loadStart,
                loadAverageEnd: loadEnd,
            },
            runs: o.runs,
            figures: f.all(),
        };
        process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
    }
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
