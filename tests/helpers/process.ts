// A repository tool (npm run check, npm run report) as a user runs it: a separate process, its exit
// code and its output; and the queue every spec file runs such processes through, two at a time
// (2 cores), each test awaiting its own, so one failure fails one test.
import { spawn } from "child_process";
import * as path from "path";
import { ROOT } from "./program";

export interface Run {
    status: number | null;
    stdout: string;
    stderr: string;
}

/**
 * `tools/<tool>/index.ts` with `args` in `cwd`. Programs are transpiled without a type-check
 * (PULUMI_NODEJS_TRANSPILE_ONLY, which the language host honours) to keep the suites fast; no
 * passphrase from the environment reaches the tool unless `env` gives one.
 */
export function runTool(tool: "check" | "report", args: string[], cwd = ROOT, env: NodeJS.ProcessEnv = {}): Promise<Run> {
    const script = [
        require.resolve("ts-node/dist/bin"),
        "--transpile-only",
        "-P",
        path.join(ROOT, "tsconfig.json"),
        path.join(ROOT, "tools", tool, "index.ts"),
    ];
    return runProcess(process.execPath, [...script, ...args], cwd, env);
}

/** `command` with `args` in `cwd`, in the environment runTool describes. */
export function runProcess(command: string, args: string[], cwd = ROOT, env: NodeJS.ProcessEnv = {}): Promise<Run> {
    return new Promise((resolve, reject) => {
        const child = spawn(command, args, {
            cwd,
            env: {
                ...process.env,
                PULUMI_NODEJS_TRANSPILE_ONLY: "true",
                PULUMI_CONFIG_PASSPHRASE: undefined,
                PULUMI_CONFIG_PASSPHRASE_FILE: undefined,
                ...env,
            },
        });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        child.on("error", reject);
        child.on("close", (status) => resolve({ status, stdout, stderr }));
    });
}

/**
 * The process cases of every spec file (programs.spec, report.spec, ...), started when their file
 * loads, two at a time: they run while the tests in mocha's own process do, instead of after them.
 * A test awaits its own case; the test's limit (CONTINUITY_TEST_TIMEOUT_MS) covers its wait here.
 */
export function inBackground<T>(f: () => Promise<T>): Promise<T> {
    const p = background(f);
    // Awaited by its test, which fails on a rejection; never an unhandled rejection meanwhile.
    p.catch(() => undefined);
    return p;
}

/** Runs `f` when fewer than `limit` others run; the promise settles with `f`'s. */
export function queued(limit = 2): <T>(f: () => Promise<T>) => Promise<T> {
    const waiting: (() => void)[] = [];
    let running = 0;
    return <T>(f: () => Promise<T>) =>
        new Promise<T>((resolve, reject) => {
            const start = () => {
                running++;
                f()
                    .then(resolve, reject)
                    .finally(() => {
                        running--;
                        waiting.shift()?.();
                    });
            };
            if (running < limit) start();
            else waiting.push(start);
        });
}

const background = queued(2);
