/**
 * The watch's deployment package, built by the Pulumi program (this file is not shipped): every .ts file of the
 * function transpiled on its own with TypeScript's transpileModule (CommonJS, ES2020) into `<name>.js`. No bundler:
 * the function may require only node builtins, the AWS SDK v3 clients the Lambda Node.js runtime includes
 * (https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html, "Runtime-included SDK versions") and its own files; anything
 * else is refused here, before a deployment that would fail at its first run.
 */
import * as fs from "fs";
import { builtinModules } from "module";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as ts from "typescript";

/** The Lambda handler setting for the archive. */
export const RECOVERY_WATCH_HANDLER = "index.handler";

/** Packages the function may require besides node builtins and its own files. */
export const RECOVERY_WATCH_PACKAGES: readonly string[] = [
    "@aws-sdk/client-cloudwatch",
    "@aws-sdk/client-s3",
    "@aws-sdk/client-secrets-manager",
];

const COMPILER_OPTIONS: ts.CompilerOptions = {
    module: ts.ModuleKind.CommonJS,
    target: ts.ScriptTarget.ES2020,
    newLine: ts.NewLineKind.LineFeed,
    strict: true,
    sourceMap: false,
    inlineSourceMap: false,
};

/** The module names a CommonJS file requires, in order of appearance, without duplicates. */
export function requiredModules(js: string): string[] {
    const names = [...js.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
    return [...new Set(names)];
}

function isBuiltin(name: string): boolean {
    return name.startsWith("node:") || builtinModules.includes(name);
}

/** The transpiled files, `<name>.js` → JavaScript, in name order (the same sources always give the same map). */
export function recoveryWatchSources(dir: string = __dirname): Record<string, string> {
    const names = fs
        .readdirSync(dir)
        .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts") && !f.endsWith(".spec.ts") && f !== "archive.ts")
        .sort();
    const out: Record<string, string> = {};
    for (const file of names) {
        const source = fs.readFileSync(path.join(dir, file), "utf8");
        const result = ts.transpileModule(source, { compilerOptions: COMPILER_OPTIONS, fileName: file, reportDiagnostics: true });
        const errors = (result.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
        if (errors.length > 0) {
            throw new Error(`recovery-watch: ${file} does not transpile: ${ts.flattenDiagnosticMessageText(errors[0].messageText, " ")}`);
        }
        out[file.replace(/\.ts$/, ".js")] = result.outputText;
    }
    if (!out["index.js"])
        throw new Error(`recovery-watch: no index.ts in ${path.basename(dir)}; the handler is ${RECOVERY_WATCH_HANDLER}.`);
    for (const [file, js] of Object.entries(out)) {
        for (const name of requiredModules(js)) {
            const local = name.startsWith("./") && out[`${name.slice(2)}.js`] !== undefined;
            if (!local && !isBuiltin(name) && !RECOVERY_WATCH_PACKAGES.includes(name)) {
                throw new Error(
                    `recovery-watch: ${file} requires "${name}", which the Lambda runtime does not provide; allowed: node builtins, ` +
                        `${RECOVERY_WATCH_PACKAGES.join(", ")} and the function's own files.`,
                );
            }
        }
    }
    return out;
}

/** The function's code as a Pulumi archive of string assets (deterministic: same sources, same archive hash). */
export function recoveryWatchArchive(): pulumi.asset.AssetArchive {
    const assets: Record<string, pulumi.asset.Asset> = {};
    for (const [name, js] of Object.entries(recoveryWatchSources())) assets[name] = new pulumi.asset.StringAsset(js);
    return new pulumi.asset.AssetArchive(assets);
}
