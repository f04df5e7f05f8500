// Paths and helpers shared by the specs of `npm run check` (tools/check).
import { spawnSync } from "child_process";
import * as path from "path";
import { CheckResult } from "../../../tools/check/check";
import { ROOT } from "../../helpers/program";

export const PACK = path.join(ROOT, "policies");
export const FIXTURES = path.join(ROOT, "tests", "fixtures");

/** The check as a user runs it: a separate process, its exit code and its output. */
export function cli(args: string[], cwd = ROOT) {
    const r = spawnSync(
        process.execPath,
        [require.resolve("ts-node/dist/bin"), "--transpile-only", path.join(ROOT, "tools/check/index.ts"), ...args],
        {
            cwd,
            encoding: "utf8",
            env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, "tsconfig.json") },
            timeout: Number(process.env.CONTINUITY_TEST_TIMEOUT_MS ?? 600_000),
        },
    );
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
export const ours = (r: CheckResult) => r.packs.find((p) => p.info.name === "continuity-guard")!;
