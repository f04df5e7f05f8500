// Builds a program's configuration from Pulumi.yaml and Pulumi.<stack>.yaml as the CLI does: keys
// qualified by namespace (the project's when none is given), scalars as strings, structured values as
// JSON, and `secure:` values kept secret. A stack of the passphrase secrets provider is decrypted as the
// CLI decrypts it (see secrets.ts) when PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE provides
// the passphrase. Otherwise (no passphrase, or another provider: a KMS or the Pulumi Cloud service) the
// check passes a marked placeholder, which the program treats like any other secret value and never
// prints; `placeholderKeys` lists the keys that received it.
//
// Either way a key whose value holds a secure leaf anywhere (a `secure:` scalar, or an object or array with
// one inside, as `pulumi config set --path --secret` writes) is a secret key as a whole, and a structured
// value reaches the program as JSON with each leaf replaced by its plaintext (or the placeholder)
// (sdk/go/common/resource/config/value.go, Value.Value and decryptObject; map.go, SecureKeys;
// pkg/resource/deploy/source_eval.go passes Config.Decrypt and Config.SecureKeys to the program).
// The CLI serializes structured values with Go's encoding/json (keys sorted, <, > and & escaped); this
// keeps the file's key order, which parses to the same values.
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import {
    IncorrectPassphraseError,
    readPassphrase,
    SecretsError,
    secretsProviderOf,
    SecretsProvider,
    decryptValue,
    unlock,
} from "./secrets";
import { SECRET_PLACEHOLDER } from "./wire";

export interface StackConfig {
    project: string;
    stack: string;
    config: Record<string, string>;
    secretKeys: string[];
    /** The secret keys that received SECRET_PLACEHOLDER because they could not be decrypted (empty when decrypted). */
    placeholderKeys: string[];
    /** "passphrase", "service" (Pulumi Cloud) or the URL of another provider (awskms://...). */
    secretsProvider: SecretsProvider;
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

/** A secure leaf: a map of exactly one key, "secure", holding a string (value.go, isSecureValue). */
function isSecure(v: unknown): v is { secure: string } {
    return (
        v !== null &&
        typeof v === "object" &&
        !Array.isArray(v) &&
        Object.keys(v).length === 1 &&
        typeof (v as { secure?: unknown }).secure === "string"
    );
}

type Leaf = (ciphertext: string, at: string) => string;

/** Replaces `secure:` leaves by what `leaf` makes of them; reports whether there were any. */
function replaceSecrets(v: unknown, leaf: Leaf, at: string): { value: unknown; secret: boolean } {
    if (isSecure(v)) return { value: leaf(v.secure, at), secret: true };
    if (Array.isArray(v)) {
        const items = v.map((x, i) => replaceSecrets(x, leaf, `${at}[${i}]`));
        return { value: items.map((i) => i.value), secret: items.some((i) => i.secret) };
    }
    if (v !== null && typeof v === "object") {
        const entries = Object.entries(v).map(([k, x]) => [k, replaceSecrets(x, leaf, `${at}.${k}`)] as const);
        return {
            value: Object.fromEntries(entries.map(([k, x]) => [k, x.value])),
            secret: entries.some(([, x]) => x.secret),
        };
    }
    return { value: v, secret: false };
}

function hasSecure(v: unknown): boolean {
    if (isSecure(v)) return true;
    if (Array.isArray(v)) return v.some(hasSecure);
    if (v !== null && typeof v === "object") return Object.values(v).some(hasSecure);
    return false;
}

/**
 * The decrypting leaf for a passphrase stack, or undefined when the check must use placeholders. Throws
 * StackConfigError where `pulumi preview` would stop: an unreadable passphrase file, a salt the passphrase
 * does not unlock (the CLI checks it even when no value is secure), secure values without a salt.
 */
function passphraseLeaf(
    stackFile: string,
    stackDoc: Record<string, unknown>,
    anySecure: boolean,
    env: NodeJS.ProcessEnv,
): Leaf | undefined {
    let phrase;
    try {
        phrase = readPassphrase(env);
    } catch (e) {
        throw new StackConfigError(`${stackFile}: ${(e as Error).message}`);
    }
    if (phrase === undefined) return undefined;
    const salt = stackDoc.encryptionsalt;
    if (salt === undefined || salt === null || salt === "") {
        if (anySecure) {
            throw new StackConfigError(
                `${stackFile} has secure values but no encryptionsalt: the passphrase secrets provider cannot decrypt them without the salt they were encrypted with.`,
            );
        }
        return undefined;
    }
    if (typeof salt !== "string") {
        throw new StackConfigError(`${stackFile}: encryptionsalt is not a string.`);
    }
    let key: Buffer;
    try {
        key = unlock(phrase.passphrase, salt);
    } catch (e) {
        if (e instanceof IncorrectPassphraseError) {
            throw new StackConfigError(
                `${stackFile}: incorrect passphrase: the passphrase from ${phrase.source} does not unlock this stack's encryptionsalt ` +
                    `(pulumi preview stops with "get stack secrets manager: incorrect passphrase"); set PULUMI_CONFIG_PASSPHRASE to the ` +
                    `correct passphrase or PULUMI_CONFIG_PASSPHRASE_FILE to a file containing it.`,
            );
        }
        throw new StackConfigError(`${stackFile}: encryptionsalt cannot be used: ${(e as Error).message}`);
    }
    return (ciphertext, at) => {
        try {
            return decryptValue(key, ciphertext);
        } catch (e) {
            if (e instanceof SecretsError) {
                throw new StackConfigError(`${stackFile}: failed to decrypt config ${at}: ${e.message}`);
            }
            throw e;
        }
    };
}

export function readStackConfig(projectDir: string, stack: string, env: NodeJS.ProcessEnv = process.env): StackConfig {
    const projectFile = path.join(projectDir, "Pulumi.yaml");
    const project = readYaml(projectFile);
    if (typeof project.name !== "string") {
        throw new StackConfigError(`${projectFile} has no project name.`);
    }
    const configDir = typeof project.stackConfigDir === "string" ? path.join(projectDir, project.stackConfigDir) : projectDir;
    const stackFile = path.join(configDir, `Pulumi.${stack}.yaml`);
    const stackDoc = readYaml(stackFile);
    const raw = (stackDoc.config ?? {}) as Record<string, unknown>;

    const secretsProvider = secretsProviderOf(stackDoc);
    const anySecure = Object.values(raw).some(hasSecure);
    const decrypt = secretsProvider === "passphrase" ? passphraseLeaf(stackFile, stackDoc, anySecure, env) : undefined;
    const leaf: Leaf = decrypt ?? (() => SECRET_PLACEHOLDER);

    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [key, value] of Object.entries(raw)) {
        const full = key.includes(":") ? key : `${project.name}:${key}`;
        const { value: plain, secret } = replaceSecrets(value, leaf, full);
        config[full] = typeof plain === "string" ? plain : JSON.stringify(plain);
        if (secret) secretKeys.push(full);
    }
    const placeholderKeys = decrypt ? [] : [...secretKeys];
    return { project: project.name, stack, config, secretKeys, placeholderKeys, secretsProvider };
}
