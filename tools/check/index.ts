// npm run check -- --stack <stack> [--policy-pack <dir> [--policy-pack-config <file>]]... [--json] [--cwd <dir>]
//
// Exit codes: 0 no mandatory violation; 1 a mandatory violation; 2 the program, a stack file, a
// pack or the command line failed (the message says which).
import * as fs from "fs";
import * as path from "path";
import { PolicyConfigError, PolicyPackError } from "./analyzer";
import { defaultPack, mandatoryViolations, PackRequest, ProgramError, runCheck } from "./check";
import { cheapStackTraces } from "./engine";
import { renderHuman, renderJson } from "./report";
import { StackConfigError } from "./stackConfig";

export const USAGE = `usage: npm run check -- --stack <stack> [--policy-pack <dir> [--policy-pack-config <file>]]... [--json] [--cwd <project dir>]

  --stack <name>                the stack whose Pulumi.<name>.yaml configures the program (required)
  --policy-pack <dir>           a policy pack directory; repeat for several. Default: policies/
  --policy-pack-config <file>   config for the pack given just before it, as with pulumi preview.
                                Default for policies/: policies/config/<stack>.json when present
  --json                        print one JSON document instead of the tree
  --cwd <dir>                   the Pulumi project directory (default: the current directory)`;

export class UsageError extends Error {}

export interface CliOptions {
    projectDir: string;
    stack: string;
    packs: PackRequest[];
    json: boolean;
}

export function parseArgs(argv: string[], cwd = process.cwd()): CliOptions {
    let stack: string | undefined;
    let projectDir = cwd;
    let json = false;
    const packs: PackRequest[] = [];
    const pendingConfigs: string[] = [];
    const value = (i: number, flag: string) => {
        const v = argv[i + 1];
        if (v === undefined || v.startsWith("--")) throw new UsageError(`${flag} needs a value.`);
        return v;
    };
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
            case "--help":
            case "-h":
                throw new UsageError("");
            default:
                throw new UsageError(`Unknown argument '${arg}'.`);
        }
    }
    if (!stack) throw new UsageError("--stack is required.");
    if (packs.length === 0) {
        packs.push(defaultPack(projectDir, stack));
        if (pendingConfigs.length > 0) packs[0].configFile = pendingConfigs.shift();
    } else {
        // As with the CLI, the n-th config file belongs to the n-th pack.
        if (pendingConfigs.length > packs.length) {
            throw new UsageError(`${pendingConfigs.length} --policy-pack-config files for ${packs.length} --policy-pack directories.`);
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
    return { projectDir, stack, packs, json };
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
    try {
        const result = await runCheck(opts);
        console.log(opts.json ? renderJson(result) : renderHuman(result));
        return mandatoryViolations(result).length > 0 ? 1 : 0;
    } catch (e) {
        if (e instanceof ProgramError) {
            console.error(`The program failed before the policies could run:\n${e.message}`);
        } else if (e instanceof PolicyPackError || e instanceof PolicyConfigError || e instanceof StackConfigError) {
            console.error(e.message);
        } else {
            console.error(`The check failed: ${(e as Error)?.stack ?? e}`);
        }
        return 2;
    }
}

if (require.main === module) {
    cheapStackTraces();
    // Exit once stdout has drained: a pipe takes writes asynchronously, and exiting at once cut a
    // large --json document at 64 KiB.
    const exit = (code: number) => process.stdout.write("", () => process.exit(code));
    main(process.argv.slice(2)).then(exit, (e) => {
        console.error(e);
        exit(2);
    });
}
