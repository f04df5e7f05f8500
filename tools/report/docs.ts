// Writes docs/dr-plan/<stack>.md, the DR plan of each stack of this repository, with `npm run
// docs:dr-plan`; `-- --check` fails when a committed plan differs from what the stack gives (the test
// in tests/report/docs.spec.ts runs the same comparison). The plan holds no timestamp of its own, so
// it changes only when the program, its config, the pack config, the model or the prices do.
import { runCommand } from "../command";
import * as path from "path";
import { defaultPack, runCheck } from "../check/check";
import { cheapStackTraces } from "../check/engine";
import { syncGenerated } from "../docs/generated";
import { loadPrices } from "./cost";
import { readDrills } from "./drills";
import { inputError, planOf } from "./index";
import { renderMarkdown } from "./render/markdown";

export const ROOT = path.join(__dirname, "..", "..");
export const DOCS_DIR = path.join(ROOT, "docs", "dr-plan");
export const DOC_STACKS = ["staging", "production"] as const;

export const docFile = (stack: string) => path.join(DOCS_DIR, `${stack}.md`);

const PREAMBLE = [
    "<!-- Written by `npm run docs:dr-plan` from the stack's resource graph (as `npm run report -- --stack <stack>`",
    "     writes it). Do not edit by hand: a test fails when this file and the stack disagree. -->",
];

/** The Markdown plan of one stack of this repository, as the committed file should hold it. */
export async function renderStackPlan(stack: string): Promise<string> {
    const drills = readDrills(ROOT, stack);
    const prices = loadPrices();
    const result = await runCheck({
        projectDir: ROOT,
        stack,
        packs: [defaultPack(ROOT, stack)],
        programEnv: { PULUMI_NODEJS_TRANSPILE_ONLY: "true" },
    });
    return renderMarkdown(planOf(result, ROOT, drills, prices).plan, PREAMBLE);
}

async function main(check: boolean): Promise<number> {
    let stale = 0;
    for (const stack of DOC_STACKS) {
        let text: string;
        try {
            text = await renderStackPlan(stack);
        } catch (e) {
            console.error(`${stack}: ${inputError(e) ?? (e as Error)?.stack ?? e}`);
            return 2;
        }
        const file = docFile(stack);
        const shown = path.relative(process.cwd(), file);
        const words = {
            stale: `${shown} is stale: run \`npm run docs:dr-plan\` and commit the result.`,
            current: `${shown} matches the stack.`,
            wrote: `wrote ${shown}`,
        };
        if (syncGenerated(file, text, check, words)) stale++;
    }
    return stale > 0 ? 1 : 0;
}

if (require.main === module) {
    cheapStackTraces();
    runCommand(() => main(process.argv.includes("--check")));
}
