// npm run check -- --stack <stack> [--policy-pack <dir>]... [--policy-pack-config <file>]... [--json] [--cwd <dir>]
//                  [--timeout <seconds>] [--pack-start-timeout <seconds>]
//
// Exit codes: 0 no mandatory violation; 1 a mandatory violation; 2 the program, a stack file, a
// pack or the command line failed (the message says which).
import { runCommand } from "../command";
import "./ownSources";
import * as fs from "fs";
import * as path from "path";
import { PolicyConfigError, PolicyPackError } from "./packTypes";
import {
    DEFAULT_PACK_START_TIMEOUT_MS,
    DEFAULT_TIMEOUT_MS,
    DeadlineError,
    defaultPack,
    mandatoryViolations,
    PackRequest,
    ProgramError,
    runCheck,
} from "./check";
import { cheapStackTraces } from "./engine";
import { renderHuman, renderJson } from "./report";
import { InvokeError } from "./invokeCall";
import { StackConfigError } from "./stackConfig";

export const USAGE = `usage: npm run check -- --stack <stack> [--policy-pack <dir>]... [--policy-pack-config <file>]... [--json] [--cwd <project dir>]

  --stack <name>                  the stack whose Pulumi.<name>.yaml configures the program (required)
  --policy-pack <dir>             a policy pack directory; repeat for several. Default: the project's
                                  policies/, else continuity-guard (this repository's pack)
  --policy-pack-config <file>     none, or one per --policy-pack, in the same order (as pulumi preview).
                                  Default for the default pack: its config/<stack>.json when present
  --json                          print one JSON document instead of the tree (use npm run -s check)
  --cwd <dir>                     the Pulumi project directory (default: the current directory);
                                  relative pack and config paths resolve from it, as with pulumi --cwd
  --timeout <seconds>             deadline of the whole check (default ${DEFAULT_TIMEOUT_MS / 1000}; env CONTINUITY_CHECK_TIMEOUT)
  --pack-start-timeout <seconds>  how long a pack may take to start (default ${DEFAULT_PACK_START_TIMEOUT_MS / 1000};
                                  env CONTINUITY_PACK_START_TIMEOUT)`;

export class UsageError extends Error {}

export interface CliOptions {
    projectDir: string;
    stack: string;
    packs: PackRequest[];
    json: boolean;
    timeoutMs: number;
    packStartTimeoutMs: number;
    /** Set when the project has no policies/ and continuity-guard is used instead: said on stderr. */
    defaultPackNote?: string;
}

/** This repository's pack: what the check uses for a project that has none of its own. */
export const CONTINUITY_GUARD = path.resolve(__dirname, "..", "..", "policies");

function seconds(v: string, what: string): number {
    const n = Number(v);
    if (!/^\d+(\.\d+)?$/.test(v.trim()) || !(n > 0)) throw new UsageError(`${what} must be a positive number of seconds, found '${v}'.`);
    return n * 1000;
}

/** The value after the flag at `argv[i]`; a missing one, or another flag in its place, is a usage error. */
export function flagValue(argv: readonly string[], i: number, flag: string): string {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith("--")) throw new UsageError(`${flag} needs a value.`);
    return v;
}

export function parseArgs(argv: string[], cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): CliOptions {
    let stack: string | undefined;
    let projectDir = cwd;
    let json = false;
    let timeoutMs = env.CONTINUITY_CHECK_TIMEOUT ? seconds(env.CONTINUITY_CHECK_TIMEOUT, "CONTINUITY_CHECK_TIMEOUT") : DEFAULT_TIMEOUT_MS;
    let packStartTimeoutMs = env.CONTINUITY_PACK_START_TIMEOUT
        ? seconds(env.CONTINUITY_PACK_START_TIMEOUT, "CONTINUITY_PACK_START_TIMEOUT")
        : DEFAULT_PACK_START_TIMEOUT_MS;
    const packs: PackRequest[] = [];
    const pendingConfigs: string[] = [];
    const value = (i: number, flag: string) => flagValue(argv, i, flag);
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        switch (arg) {
            case "--stack":
            case "-s":
                stack = value(i++, arg);
                break;
            case "--policy-pack":
                packs.push({ dir: value(i++, arg) });
                break;
            case "--policy-pack-config":
                pendingConfigs.push(value(i++, arg));
                break;
            case "--json":
                json = true;
                break;
            case "--cwd":
                projectDir = path.resolve(cwd, value(i++, arg));
                break;
            case "--timeout":
                timeoutMs = seconds(value(i++, arg), arg);
                break;
            case "--pack-start-timeout":
                packStartTimeoutMs = seconds(value(i++, arg), arg);
                break;
            case "--help":
            case "-h":
                throw new UsageError("");
            default:
                throw new UsageError(`Unknown argument '${arg}'.`);
        }
    }
    if (!stack) throw new UsageError("--stack is required.");
    let defaultPackNote: string | undefined;
    if (packs.length === 0) {
        // The implicit pack takes at most one config file.
        if (pendingConfigs.length > 1) {
            throw new UsageError(
                `the number of "--policy-pack-config" flags must match the number of "--policy-pack" flags (${pendingConfigs.length} for the one default pack).`,
            );
        }
        let pack = defaultPack(projectDir, stack);
        if (!fs.existsSync(path.join(pack.dir, "PulumiPolicy.yaml"))) {
            pack = defaultPack(path.dirname(CONTINUITY_GUARD), stack);
            defaultPackNote = `${projectDir} has no policies/ pack: checking with continuity-guard (${CONTINUITY_GUARD})${pack.configFile ? ` and ${pack.configFile}` : " and its defaults (the strict, production values)"}.`;
        }
        packs.push(pack);
        if (pendingConfigs.length > 0) packs[0].configFile = pendingConfigs[0];
    } else {
        // As the CLI does (validatePolicyPackConfig): none, or one per pack, in order.
        if (pendingConfigs.length > 0 && pendingConfigs.length !== packs.length) {
            throw new UsageError(
                `the number of "--policy-pack-config" flags must match the number of "--policy-pack" flags (${pendingConfigs.length} for ${packs.length}).`,
            );
        }
        pendingConfigs.forEach((c, i) => (packs[i].configFile = c));
    }
    for (const p of packs) {
        p.dir = path.resolve(projectDir, p.dir);
        if (!fs.existsSync(path.join(p.dir, "PulumiPolicy.yaml"))) {
            throw new UsageError(`${p.dir} is not a policy pack: it has no PulumiPolicy.yaml.`);
        }
        if (p.configFile) {
            p.configFile = path.resolve(projectDir, p.configFile);
            if (!fs.existsSync(p.configFile)) throw new UsageError(`The policy pack config ${p.configFile} does not exist.`);
        }
    }
    if (!fs.existsSync(path.join(projectDir, "Pulumi.yaml"))) {
        throw new UsageError(`${projectDir} is not a Pulumi project: it has no Pulumi.yaml.`);
    }
    return { projectDir, stack, packs, json, timeoutMs, packStartTimeoutMs, defaultPackNote };
}

export async function main(argv: string[]): Promise<number> {
    let opts: CliOptions;
    try {
        opts = parseArgs(argv);
    } catch (e) {
        if (e instanceof UsageError) {
            console.error([e.message, USAGE].filter(Boolean).join("\n\n"));
            return 2;
        }
        throw e;
    }
    if (opts.defaultPackNote) console.error(opts.defaultPackNote);
    try {
        const result = await runCheck(opts);
        console.log(opts.json ? renderJson(result) : renderHuman(result, process.cwd()));
        return mandatoryViolations(result).length > 0 ? 1 : 0;
    } catch (e) {
        if (e instanceof ProgramError) {
            console.error(`The program failed before the policies could run:\n${e.message}`);
        } else if (
            e instanceof PolicyPackError ||
            e instanceof PolicyConfigError ||
            e instanceof StackConfigError ||
            e instanceof DeadlineError ||
            e instanceof InvokeError
        ) {
            console.error(e.message);
        } else {
            console.error(`The check failed: ${(e as Error)?.stack ?? e}`);
        }
        return 2;
    }
}

if (require.main === module) {
    cheapStackTraces();
    runCommand(() => main(process.argv.slice(2)));
}
