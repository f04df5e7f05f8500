// Builds the real Pulumi CLI and the Node.js language host from their Go modules, for the
// conformance suite (issue: the same verdict as the real engine). Nothing here is part of the check.
//
//   npm run conformance:build        → prints the directory holding pulumi and pulumi-language-nodejs
//
// The binaries are cached under .cache/conformance/<key>/bin, the key being the installed
// @pulumi/pulumi version and the content of the two go.mod/go.sum pairs: a second run builds nothing.
// The Node SDK's shims the CLI looks for on PATH (pulumi-analyzer-policy for policy packs,
// pulumi-resource-pulumi-nodejs for dynamic providers) are written beside them, as the SDK ships them.
import { execFileSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..");
const HERE = __dirname;

interface Target {
    /** The module directory (holds go.mod with a `tool` directive). */
    module: string;
    /** The package to build. */
    pkg: string;
    binary: string;
}

const TARGETS: Target[] = [
    { module: path.join(HERE, "cli"), pkg: "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi", binary: "pulumi" },
    {
        module: path.join(HERE, "langhost"),
        pkg: "github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3",
        binary: "pulumi-language-nodejs",
    },
];

export class ConformanceBuildError extends Error {}

export function sdkVersion(): string {
    return JSON.parse(fs.readFileSync(require.resolve("@pulumi/pulumi/package.json", { paths: [ROOT] }), "utf8")).version;
}

function cacheKey(): string {
    const h = crypto.createHash("sha256");
    h.update(sdkVersion());
    for (const t of TARGETS) {
        for (const f of ["go.mod", "go.sum"]) {
            const file = path.join(t.module, f);
            h.update(fs.existsSync(file) ? fs.readFileSync(file) : "");
        }
    }
    return `${sdkVersion()}-${h.digest("hex").slice(0, 12)}`;
}

function build(t: Target, out: string, log: (line: string) => void): void {
    log(`Building ${t.binary} from ${t.pkg} (${path.relative(ROOT, t.module)}); the first build takes minutes ...`);
    const started = Date.now();
    // A module without go.sum resolves its dependencies first: that is where a module the proxy
    // does not serve says so ("403 Forbidden ... not available").
    if (!fs.existsSync(path.join(t.module, "go.sum"))) go(["mod", "tidy"], t);
    const ldflags = `-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v${sdkVersion()}`;
    go(["build", "-ldflags", ldflags, "-o", out, t.pkg], t);
    log(`  ${t.binary} built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

function go(args: string[], t: Target): void {
    try {
        execFileSync("go", args, { cwd: t.module, stdio: ["ignore", "inherit", "pipe"], env: { ...process.env, CGO_ENABLED: "0" } });
    } catch (e) {
        const stderr = String((e as { stderr?: Buffer }).stderr ?? "").trim();
        throw new ConformanceBuildError(
            `go ${args[0]} ${args[1]} for ${t.binary} (in ${path.relative(ROOT, t.module)}) failed:\n${stderr}`,
        );
    }
}

const TS_NODE = path.join(path.dirname(require.resolve("ts-node/package.json", { paths: [ROOT] })), "dist", "bin.js");

/** A PATH entry that runs one of the stand-ins (TypeScript, through ts-node). */
function standIn(bin: string, name: string, script: string, env: Record<string, string> = {}): void {
    // CONFORMANCE_PARENT_PID: the process that started the stand-in (the CLI), for standins/lifeline.ts.
    const vars = Object.entries({ ...env, CONFORMANCE_PARENT_PID: "$PPID" })
        .map(([k, v]) => `${k}=${v} `)
        .join("");
    const line = `${vars}exec node "${TS_NODE}" --transpile-only -P "${path.join(ROOT, "tsconfig.json")}" "${path.join(HERE, "standins", script)}" "$@"`;
    writeScript(path.join(bin, name), `#!/bin/sh\n# A stand-in for the conformance suite only (tools/conformance/standins).\n${line}\n`);
}

/** Writes an executable script unless it holds that text already (a run in progress may be executing it). */
function writeScript(file: string, text: string): void {
    if (fs.existsSync(file) && fs.readFileSync(file, "utf8") === text) return;
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, text, { mode: 0o755 });
    fs.renameSync(tmp, file);
}

function packageVersion(pkg: string): string {
    return JSON.parse(fs.readFileSync(require.resolve(`${pkg}/package.json`, { paths: [ROOT] }), "utf8")).version;
}

/**
 * Builds what is missing and returns the bin directory to put first on PATH. With
 * `standInLanguageHost`, a language host that cannot be built is replaced by the stand-in (said on
 * the log); the provider plugins are always stand-ins, at the versions the installed SDKs request.
 */
export function buildConformanceTools(
    log: (line: string) => void = (l) => console.error(l),
    opts: { standInLanguageHost?: boolean } = {},
): string {
    const bin = path.join(ROOT, ".cache", "conformance", cacheKey(), "bin");
    fs.mkdirSync(bin, { recursive: true });
    for (const pkg of ["aws", "mongodbatlas"]) {
        const version = packageVersion(`@pulumi/${pkg}`);
        standIn(bin, `pulumi-resource-${pkg}`, "provider.ts", { CONFORMANCE_PROVIDER_VERSION: version });
    }
    for (const t of TARGETS) {
        const out = path.join(bin, t.binary);
        const standInThere = fs.existsSync(out) && fs.readFileSync(out).subarray(0, 64).toString("latin1").includes("# A stand-in");
        if (t.binary === "pulumi-language-nodejs" && opts.standInLanguageHost && standInThere) {
            // Its build failed for this cache key before: keep the stand-in (rewritten, should the checkout have moved).
            standIn(bin, t.binary, "language-host.ts");
            continue;
        }
        if (fs.existsSync(out) && !standInThere) continue;
        if (t.binary === "pulumi-language-nodejs" && opts.standInLanguageHost) {
            try {
                build(t, out, log);
            } catch (e) {
                if (!(e instanceof ConformanceBuildError)) throw e;
                log(
                    `The real language host cannot be built here, using the stand-in (tools/conformance/standins/language-host.ts):\n${e.message}`,
                );
                standIn(bin, t.binary, "language-host.ts");
            }
            continue;
        }
        build(t, out, log);
    }
    // The Node SDK's shims, as the CLI's distribution ships them (sdk/nodejs/dist): the CLI starts a
    // policy pack or a dynamic provider through them, in the pack's or program's directory, and they
    // find @pulumi/pulumi by Node's module resolution from there (a node_modules further up counts).
    const shims: Record<string, string> = {
        "pulumi-analyzer-policy": "@pulumi/pulumi/cmd/run-policy-pack",
        "pulumi-resource-pulumi-nodejs": "@pulumi/pulumi/cmd/dynamic-provider",
    };
    for (const [name, script] of Object.entries(shims)) {
        const body = [
            `SCRIPT=$(node -e "try { console.log(require.resolve('${script}')) } catch (e) { console.error(e.message) }")`,
            `if [ ! -z "$SCRIPT" ]; then`,
            `    exec node "$SCRIPT" "$@"`,
            `fi`,
            `exit 1`,
        ];
        writeScript(path.join(bin, name), `#!/bin/sh\n${body.join("\n")}\n`);
    }
    return bin;
}

if (require.main === module) {
    try {
        // Without the real language host the suite runs with the stand-in; the log says why.
        console.log(buildConformanceTools(undefined, { standInLanguageHost: true }));
    } catch (e) {
        if (!(e instanceof ConformanceBuildError)) throw e;
        console.error(e.message);
        process.exit(2);
    }
}
