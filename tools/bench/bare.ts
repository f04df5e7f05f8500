// The bare mock run as a process, the yardstick of the check's cost: the same start-up as
// `npm run check` (ts-node --transpile-only, the check's own modules), the program run once by the
// same language-host code (host.ts: cmd/run, type-check and compile cache included), and nothing else:
// no pack, no Analyze, no report.
//   ts-node --transpile-only tools/bench/bare.ts --stack <stack> [--cwd <project dir>]
import "../check/ownSources";
import * as path from "path";
import { runProgramProcess } from "../check/host";
import { readProject } from "../check/project";
import { readStackConfig } from "../check/stackConfig";

async function main(argv: string[]): Promise<number> {
    const flag = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
    const stack = flag("--stack");
    if (!stack) throw new Error("usage: bare.ts --stack <stack> [--cwd <project dir>]");
    const projectDir = path.resolve(flag("--cwd") ?? process.cwd());
    const sc = readStackConfig(projectDir, stack);
    const project = readProject(projectDir);
    const { config, secretKeys, placeholderKeys } = sc;
    const run = await runProgramProcess({ project, stack, config, secretKeys, placeholderKeys });
    console.log(`${run.resources.length} resources registered`);
    return 0;
}

main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
        console.error(e instanceof Error ? e.message : e);
        process.exit(2);
    },
);
