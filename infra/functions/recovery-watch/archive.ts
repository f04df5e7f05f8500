/**
 * The watch's deployment package, read by the Pulumi program (this file is not shipped): the JavaScript
 * in `lambda/`, which `npm run build:functions` writes from the function's .ts files (each transpiled on
 * its own, CommonJS, ES2020; a test fails when it is stale). No bundler: the function may require only
 * node builtins, the AWS SDK v3 clients the Lambda Node.js runtime includes
 * (https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html, "Runtime-included SDK versions") and its own files; anything
 * else is refused here, before a deployment that would fail at its first run.
 */
import * as fs from "fs";
import { builtinModules } from "module";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";

/** The Lambda handler setting for the archive. */
export const RECOVERY_WATCH_HANDLER = "index.handler";

/** Packages the function may require besides node builtins and its own files. */
export const RECOVERY_WATCH_PACKAGES: readonly string[] = [
    "@aws-sdk/client-cloudwatch",
    "@aws-sdk/client-s3",
    "@aws-sdk/client-secrets-manager",
];

/** Where the function's JavaScript is, beside its sources. */
export const LAMBDA_DIR = "lambda";

/** The module names a CommonJS file requires, in order of appearance, without duplicates. */
export function requiredModules(js: string): string[] {
    const names = [...js.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
    return [...new Set(names)];
}

function isBuiltin(name: string): boolean {
    return name.startsWith("node:") || builtinModules.includes(name);
}

/** Refuses a file that requires what the Lambda runtime does not provide, naming file and module. */
export function checkRequires(files: Record<string, string>): void {
    for (const [file, js] of Object.entries(files)) {
        for (const name of requiredModules(js)) {
            const local = name.startsWith("./") && files[`${name.slice(2)}.js`] !== undefined;
            if (!local && !isBuiltin(name) && !RECOVERY_WATCH_PACKAGES.includes(name)) {
                throw new Error(
                    `recovery-watch: ${file} requires "${name}", which the Lambda runtime does not provide; allowed: node builtins, ` +
                        `${RECOVERY_WATCH_PACKAGES.join(", ")} and the function's own files.`,
                );
            }
        }
    }
}

/** The function's files, `<name>.js` → JavaScript, in name order (the same files always give the same map). */
export function recoveryWatchFiles(dir: string = path.join(__dirname, LAMBDA_DIR)): Record<string, string> {
    const names = fs.existsSync(dir)
        ? fs
              .readdirSync(dir)
              .filter((f) => f.endsWith(".js"))
              .sort()
        : [];
    const out: Record<string, string> = {};
    for (const name of names) out[name] = fs.readFileSync(path.join(dir, name), "utf8");
    if (!out["index.js"]) {
        throw new Error(
            `recovery-watch: no index.js in ${path.relative(process.cwd(), dir)}; run \`npm run build:functions\` (the handler is ${RECOVERY_WATCH_HANDLER}).`,
        );
    }
    checkRequires(out);
    return out;
}

/** The function's code as a Pulumi archive of string assets (deterministic: same sources, same archive hash). */
export function recoveryWatchArchive(): pulumi.asset.AssetArchive {
    const assets: Record<string, pulumi.asset.Asset> = {};
    for (const [name, js] of Object.entries(recoveryWatchFiles())) assets[name] = new pulumi.asset.StringAsset(js);
    return new pulumi.asset.AssetArchive(assets);
}
