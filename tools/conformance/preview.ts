// The real `pulumi preview` of a program, for the conformance suite: the CLI built from its Go
// modules, a local file backend and passphrase secrets in a temporary directory, stand-in provider
// plugins (and the stand-in language host where the real one cannot be built).
//
//   npm run -s conformance:preview -- <program dir> --stack <stack> [pulumi preview flags…]
//
// The program is copied to the temporary directory (stack init must not touch the repository's
// stack files), with node_modules linked to this repository's when it has none of its own.
// Relative --policy-pack / --policy-pack-config paths resolve from the program directory, as the
// CLI resolves them from its --cwd. Prints the CLI's stdout and exits with its exit code.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildConformanceTools, ConformanceBuildError } from "./build";

const ROOT = path.resolve(__dirname, "..", "..");

export interface PreviewRun {
    status: number | null;
    stdout: string;
    stderr: string;
}

export function realPreview(programDir: string, stack: string, flags: string[], env: NodeJS.ProcessEnv = {}): PreviewRun {
    const bin = buildConformanceTools(() => undefined, { standInLanguageHost: true });
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "continuity-conformance-"));
    const program = path.join(tmp, path.basename(programDir));
    fs.cpSync(programDir, program, { recursive: true, filter: (src) => path.basename(src) !== "node_modules" });
    const own = path.join(programDir, "node_modules");
    fs.symlinkSync(fs.existsSync(own) ? own : path.join(ROOT, "node_modules"), path.join(program, "node_modules"));
    const absolute = flags.map((f, i) => (["--policy-pack", "--policy-pack-config"].includes(flags[i - 1]) ? path.resolve(programDir, f) : f));
    const runEnv: NodeJS.ProcessEnv = {
        ...process.env,
        PATH: `${bin}${path.delimiter}${process.env.PATH}`,
        PULUMI_BACKEND_URL: `file://${path.join(tmp, "state")}`,
        PULUMI_HOME: path.join(tmp, "home"),
        PULUMI_CONFIG_PASSPHRASE: process.env.PULUMI_CONFIG_PASSPHRASE ?? "conformance",
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_STACK_FOR_CONFORMANCE: stack,
        ...env,
    };
    fs.mkdirSync(path.join(tmp, "state"));
    const pulumi = (args: string[]) => spawnSync(path.join(bin, "pulumi"), args, { cwd: program, env: runEnv, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
    const init = pulumi(["stack", "init", stack, "--non-interactive"]);
    if (init.status !== 0) return { status: init.status, stdout: init.stdout, stderr: init.stderr };
    const r = pulumi(["preview", "--non-interactive", "--stack", stack, ...absolute]);
    fs.rmSync(tmp, { recursive: true, force: true });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

if (require.main === module) {
    const [dir, ...rest] = process.argv.slice(2);
    const i = rest.indexOf("--stack");
    if (!dir || i < 0 || !rest[i + 1]) {
        console.error("usage: npm run -s conformance:preview -- <program dir> --stack <stack> [pulumi preview flags…]");
        process.exit(2);
    }
    const stack = rest[i + 1];
    try {
        const r = realPreview(path.resolve(dir), stack, [...rest.slice(0, i), ...rest.slice(i + 2)]);
        process.stdout.write(r.stdout);
        process.stderr.write(r.stderr);
        process.exit(r.status ?? 2);
    } catch (e) {
        if (!(e instanceof ConformanceBuildError)) throw e;
        console.error(e.message);
        process.exit(2);
    }
}
