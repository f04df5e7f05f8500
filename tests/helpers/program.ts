// Runs the real program (infra/index.ts) under Pulumi's mock monitor with a stack file's config.
import * as path from "path";
import { RecordedResource, runProgram, RunResult } from "../../tools/check/engine";
import { readStackConfig } from "../../tools/check/stackConfig";

export const ROOT = path.join(__dirname, "..", "..");
const program = require(path.join(ROOT, "infra")) as () => unknown;

export interface StackRun extends RunResult {
    /** The one resource of this type (fails if there are several or none). */
    one(type: string): RecordedResource;
    all(type: string): RecordedResource[];
}

/**
 * Runs the program for `stack`; `edit` may change the structured config (parsed objects by key
 * without namespace) before the run, to make a targeted mutation of the stack file.
 */
// A stack run as its file has it is the same every time: tests share one run per stack and mode.
const shared = new Map<string, Promise<StackRun>>();

export async function runStack(
    stack: string,
    opts: { preview?: boolean; edit?: (config: Record<string, any>) => void; secrets?: Record<string, string> } = {},
): Promise<StackRun> {
    if (!opts.edit && !opts.secrets) {
        const key = `${stack}:${opts.preview ?? false}`;
        if (!shared.has(key)) shared.set(key, freshRun(stack, opts));
        return shared.get(key)!;
    }
    return freshRun(stack, opts);
}

async function freshRun(
    stack: string,
    opts: { preview?: boolean; edit?: (config: Record<string, any>) => void; secrets?: Record<string, string> },
): Promise<StackRun> {
    const sc = readStackConfig(ROOT, stack);
    const config = { ...sc.config };
    const secretKeys = [...sc.secretKeys];
    if (opts.edit) {
        const parsed: Record<string, any> = {};
        for (const [k, v] of Object.entries(config)) {
            if (!k.startsWith("continuity:")) continue;
            try {
                parsed[k.slice("continuity:".length)] = JSON.parse(v);
            } catch {
                parsed[k.slice("continuity:".length)] = v;
            }
        }
        opts.edit(parsed);
        for (const k of Object.keys(config)) if (k.startsWith("continuity:")) delete config[k];
        for (const [k, v] of Object.entries(parsed)) {
            if (v !== undefined) config[`continuity:${k}`] = typeof v === "string" ? v : JSON.stringify(v);
        }
    }
    for (const [k, v] of Object.entries(opts.secrets ?? {})) {
        config[k] = v;
        secretKeys.push(k);
    }
    return stackRun(await runProgram({ ...sc, config, secretKeys, preview: opts.preview ?? false, program }));
}

function stackRun(result: RunResult): StackRun {
    const all = (type: string) => result.resources.filter((r) => r.type === type);
    return {
        ...result,
        all,
        one(type: string) {
            const found = all(type);
            if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
            return found[0];
        },
    };
}

/** The run without the resources under these component types (a URN's type chain names them). */
export function excluding(run: StackRun, ...componentTypes: string[]): StackRun {
    const chain = (urn: string) => urn.split("::")[2].split("$").slice(0, -1);
    return stackRun({ ...run, resources: run.resources.filter((r) => !chain(r.urn).some((t) => componentTypes.includes(t))) });
}

/** Only the resources under a component type. */
export function under(run: StackRun, componentType: string): StackRun {
    return stackRun({
        ...run,
        resources: run.resources.filter((r) => r.urn.split("::")[2].split("$").slice(0, -1).includes(componentType)),
    });
}
