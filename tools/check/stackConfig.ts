// Builds a program's configuration from Pulumi.yaml and Pulumi.<stack>.yaml as the CLI does: keys
// qualified by namespace (the project's when none is given), scalars as strings, structured values as
// JSON, and `secure:` values kept secret. The check never decrypts a secret: it passes a marked
// placeholder, which the program treats like any other secret value and never prints.
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

export const SECRET_PLACEHOLDER = "https://secret.placeholder.invalid/offline-check";

export interface StackConfig {
    project: string;
    stack: string;
    config: Record<string, string>;
    secretKeys: string[];
}

export class StackConfigError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "StackConfigError";
    }
}

function readYaml(file: string): Record<string, unknown> {
    if (!fs.existsSync(file)) {
        throw new StackConfigError(`${file} does not exist.`);
    }
    try {
        return (parse(fs.readFileSync(file, "utf8")) ?? {}) as Record<string, unknown>;
    } catch (e) {
        throw new StackConfigError(`${file} is not valid YAML: ${(e as Error).message}`);
    }
}

function isSecure(v: unknown): v is { secure: string } {
    return v !== null && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 1 && "secure" in v;
}

/** Replaces `secure:` leaves by the placeholder; reports whether there were any. */
function replaceSecrets(v: unknown): { value: unknown; secret: boolean } {
    if (isSecure(v)) return { value: SECRET_PLACEHOLDER, secret: true };
    if (Array.isArray(v)) {
        const items = v.map(replaceSecrets);
        return { value: items.map((i) => i.value), secret: items.some((i) => i.secret) };
    }
    if (v !== null && typeof v === "object") {
        const entries = Object.entries(v).map(([k, x]) => [k, replaceSecrets(x)] as const);
        return {
            value: Object.fromEntries(entries.map(([k, x]) => [k, x.value])),
            secret: entries.some(([, x]) => x.secret),
        };
    }
    return { value: v, secret: false };
}

export function readStackConfig(projectDir: string, stack: string): StackConfig {
    const projectFile = path.join(projectDir, "Pulumi.yaml");
    const project = readYaml(projectFile);
    if (typeof project.name !== "string") {
        throw new StackConfigError(`${projectFile} has no project name.`);
    }
    const configDir = typeof project.stackConfigDir === "string" ? path.join(projectDir, project.stackConfigDir) : projectDir;
    const stackFile = path.join(configDir, `Pulumi.${stack}.yaml`);
    const stackDoc = readYaml(stackFile);
    const raw = (stackDoc.config ?? {}) as Record<string, unknown>;

    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [key, value] of Object.entries(raw)) {
        const full = key.includes(":") ? key : `${project.name}:${key}`;
        const { value: plain, secret } = replaceSecrets(value);
        config[full] = typeof plain === "string" ? plain : JSON.stringify(plain);
        if (secret) secretKeys.push(full);
    }
    return { project: project.name, stack, config, secretKeys };
}
