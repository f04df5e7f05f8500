// npm run bench -- --cli: the real `pulumi preview` of each stack beside `npm run check` of the same
// stack, both as commands, same pack and config (the CLI of tools/conformance, built on first use).
import * as path from "path";
import { buildConformanceTools, ConformanceBuildError } from "../conformance/build";
import { prepareProgram, runPreview } from "../conformance/preview";
import { Figures, measureProcess, median } from "./figures";

const ROOT = path.join(__dirname, "..", "..");
const PACK = path.join(ROOT, "policies");

export async function yardstick(stacks: string[], runs: number, f: Figures, say: (line: string) => void): Promise<void> {
    say(`\n4. the real CLI beside the check: \`pulumi preview --policy-pack policies --policy-pack-config …\` and`);
    say(`   \`npm run check -- --stack …\` (both as commands, the program type-checked), median of ${runs}`);
    try {
        // Built on first use (minutes; the build says so), cached afterwards.
        buildConformanceTools((line) => say(`   ${line}`), { standInLanguageHost: true });
    } catch (e) {
        if (!(e instanceof ConformanceBuildError)) throw e;
        say(`   the real CLI cannot be built here: ${e.message}`);
        return;
    }
    for (const stack of stacks) {
        const config = path.join(PACK, "config", `${stack}.json`);
        const checkRuns: number[] = [];
        const cliRuns: number[] = [];
        for (let i = 0; i < runs; i++) {
            const tsNode = [require.resolve("ts-node/dist/bin"), "--transpile-only", "-P", path.join(ROOT, "tsconfig.json")];
            const r = measureProcess([...tsNode, path.join(ROOT, "tools/check/index.ts"), "--stack", stack, "--cwd", ROOT]);
            if (r.status !== 0) throw new Error(`npm run check -- --stack ${stack} exited with ${r.status}:\n${r.stderr}`);
            checkRuns.push(r.wallMs);
            const prepared = prepareProgram(ROOT, stack);
            try {
                const p = await runPreview(prepared, stack, ["--policy-pack", PACK, "--policy-pack-config", config]);
                if (p.status !== 0) throw new Error(`pulumi preview --stack ${stack} exited with ${p.status}:\n${p.stdout}${p.stderr}`);
                cliRuns.push(p.seconds * 1000);
            } finally {
                prepared.cleanup();
            }
        }
        f.add(`${stack}.cliPreview.wall`, median(cliRuns), "ms", "the real pulumi preview with the pack (stand-in plugins)");
        f.add(`${stack}.cliPreview.checkWall`, median(checkRuns), "ms", "npm run check in the same runs");
        f.add(`${stack}.cliPreview.ratio`, median(checkRuns) / median(cliRuns), "ratio", "check / pulumi preview");
        const k = `${stack}.cliPreview`;
        const figures = `pulumi preview ${f.ms(`${k}.wall`)}   npm run check ${f.ms(`${k}.checkWall`)}   check/CLI = ${f.x(`${k}.ratio`)}`;
        say(`   ${stack.padEnd(11)} ${figures}`);
    }
    say("   (the CLI here starts the stand-in language host and provider plugins of tools/conformance, Node.js processes;");
    say("   the real plugins are other programs, so this measures the engine's way of previewing, not a real deployment's)");
}
