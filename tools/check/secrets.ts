// The passphrase secrets provider of the Pulumi CLI, re-implemented with Node's crypto so that the offline check
// can decrypt `secure:` config values exactly as `pulumi preview` does. Every rule below is taken from Pulumi's Go
// source (github.com/pulumi/pulumi); the file is named at each rule.
//
// - Key: PBKDF2-HMAC-SHA256 of the passphrase's UTF-8 bytes with the stack's salt, 1,000,000 iterations, 32 bytes
//   (sdk/go/common/resource/config/crypt.go, NewSymmetricCrypterFromPassphrase and SymmetricCrypterKeyBytes).
// - Secure value: `v1:<base64 nonce>:<base64 ciphertext>`, AES-256-GCM with a random 12-byte nonce, no additional
//   data, the 16-byte tag appended to the ciphertext as Go's cipher.AEAD.Seal does (crypt.go, symmetricCrypter
//   EncryptValue/DecryptValue and encryptAES256GCGM). Standard base64 with padding.
// - Stack salt (`encryptionsalt:` of Pulumi.<stack>.yaml, the ProjectStack.EncryptionSalt field of
//   sdk/go/common/workspace/project.go): `v1:<base64 salt>:<check value>`, where the salt is 8 random bytes and the
//   check value is the secure value (`v1:<nonce>:<ciphertext>`) of the plaintext "pulumi" under the derived key
//   (pkg/secrets/passphrase/manager.go, NewPassphraseSecretsManager). A passphrase is correct when the check value
//   decrypts to "pulumi"; any other outcome, a failed decryption included, is ErrIncorrectPassphrase
//   ("incorrect passphrase"; manager.go, symmetricCrypterFromPhraseAndState).
// - Passphrase: PULUMI_CONFIG_PASSPHRASE when it is set, even to the empty string (os.LookupEnv); otherwise the
//   contents of the file named by PULUMI_CONFIG_PASSPHRASE_FILE when that is set and not empty, made absolute
//   against the working directory and trimmed of surrounding white space (strings.TrimSpace); a file that cannot be
//   read is "unable to read PULUMI_CONFIG_PASSPHRASE_FILE: <cause>" (manager.go, readPassphrase).
// - Provider: a stack whose `secretsprovider:` is set and is neither "passphrase" nor "default" uses that provider
//   (awskms://, azurekeyvault://, gcpkms://, hashivault://); otherwise a stack with an `encryptionsalt:` uses the
//   passphrase provider; otherwise the backend's default, the Pulumi Cloud service for the Cloud backend
//   (pkg/cmd/pulumi/stack/secrets.go, SecretsManagerLoader.GetSecretsManager).
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";

export const PBKDF2_ITERATIONS = 1_000_000;
export const KEY_BYTES = 32;
export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;
export const SALT_BYTES = 8;
/** The plaintext of an `encryptionsalt` check value. */
export const SALT_CHECK_PLAINTEXT = "pulumi";

/** What the CLI calls a stack's secrets provider: "passphrase", "service" (Pulumi Cloud) or the provider's URL. */
export type SecretsProvider = "passphrase" | "service" | (string & {});

/** A secure value, salt or passphrase source the CLI would refuse. The message never holds a secret. */
export class SecretsError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "SecretsError";
    }
}

/** The passphrase does not unlock the salt: the CLI's ErrIncorrectPassphrase. */
export class IncorrectPassphraseError extends SecretsError {
    constructor() {
        super("incorrect passphrase");
        this.name = "IncorrectPassphraseError";
    }
}

/**
 * Decodes base64 as Go's base64.StdEncoding.DecodeString does: the standard alphabet, padding required, carriage
 * returns and line feeds ignored, anything else refused (Node's decoder would silently skip it).
 */
function decodeBase64(text: string, what: string): Buffer {
    const s = text.replace(/[\r\n]/g, "");
    if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(s)) {
        throw new SecretsError(`bad value: ${what} is not valid base64`);
    }
    return Buffer.from(s, "base64");
}

/** The key of a passphrase and a salt (crypt.go, NewSymmetricCrypterFromPassphrase). */
export function deriveKey(passphrase: string, salt: Buffer): Buffer {
    return crypto.pbkdf2Sync(Buffer.from(passphrase, "utf8"), salt, PBKDF2_ITERATIONS, KEY_BYTES, "sha256");
}

/**
 * Encrypts as the CLI does (`v1:<nonce>:<ciphertext+tag>`). The nonce is random unless given, which only tests and
 * fixtures need.
 */
export function encryptValue(key: Buffer, plaintext: string, nonce: Buffer = crypto.randomBytes(NONCE_BYTES)): string {
    if (key.length !== KEY_BYTES) throw new SecretsError("AES-256-GCM needs a 32 byte key");
    if (nonce.length !== NONCE_BYTES) throw new SecretsError("bad value: nonce size is incorrect");
    const cipher = crypto.createCipheriv("aes-256-gcm", key, nonce);
    const sealed = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
    return `v1:${nonce.toString("base64")}:${sealed.toString("base64")}`;
}

/** Decrypts a secure value, failing where the CLI fails and with its messages (crypt.go, DecryptValue). */
export function decryptValue(key: Buffer, value: string): string {
    if (key.length !== KEY_BYTES) throw new SecretsError("AES-256-GCM needs a 32 byte key");
    const parts = value.split(":");
    if (parts.length !== 3) throw new SecretsError("bad value");
    if (parts[0] !== "v1") throw new SecretsError("unknown value version");
    const nonce = decodeBase64(parts[1], "the nonce");
    const sealed = decodeBase64(parts[2], "the ciphertext");
    if (nonce.length !== NONCE_BYTES) throw new SecretsError("bad value: nonce size is incorrect");
    // Go's GCM Open fails the same way for a ciphertext shorter than its tag as for a wrong tag.
    if (sealed.length < TAG_BYTES) throw new SecretsError("cipher: message authentication failed");
    const decipher = crypto.createDecipheriv("aes-256-gcm", key, nonce);
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    try {
        return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)), decipher.final()]).toString("utf8");
    } catch {
        throw new SecretsError("cipher: message authentication failed");
    }
}

/**
 * Checks a passphrase against a stack's `encryptionsalt` and returns the key it derives
 * (manager.go, symmetricCrypterFromPhraseAndState): "malformed state value" without two colons, "unknown state
 * version" unless it starts with v1, a base64 error for the salt, and IncorrectPassphraseError when the rest (after
 * the second colon) does not decrypt to "pulumi" for any reason.
 */
export function checkSalt(passphrase: string, state: string): Buffer {
    const parts = state.split(":");
    if (parts.length < 3) throw new SecretsError("malformed state value");
    if (parts[0] !== "v1") throw new SecretsError("unknown state version");
    const salt = decodeBase64(parts[1], "the salt");
    const key = deriveKey(passphrase, salt);
    const check = parts.slice(2).join(":");
    let plain: string | undefined;
    try {
        plain = decryptValue(key, check);
    } catch {
        plain = undefined;
    }
    if (plain !== SALT_CHECK_PLAINTEXT) throw new IncorrectPassphraseError();
    return key;
}

/** A new `encryptionsalt` for a passphrase, as `pulumi stack init` writes it (manager.go, NewPassphraseSecretsManager). */
export function newEncryptionSalt(
    passphrase: string,
    salt: Buffer = crypto.randomBytes(SALT_BYTES),
    nonce?: Buffer,
): { state: string; key: Buffer } {
    const key = deriveKey(passphrase, salt);
    return { state: `v1:${salt.toString("base64")}:${encryptValue(key, SALT_CHECK_PLAINTEXT, nonce)}`, key };
}

// The white space Go's strings.TrimSpace removes (unicode.IsSpace); JavaScript's trim() differs (it keeps U+0085
// and removes U+FEFF).
const GO_SPACE = "\\t\\n\\v\\f\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000";
const GO_TRIM = new RegExp(`^[${GO_SPACE}]+|[${GO_SPACE}]+$`, "g");

export function goTrimSpace(s: string): string {
    return s.replace(GO_TRIM, "");
}

export interface Passphrase {
    passphrase: string;
    /** Where it came from, for messages: "PULUMI_CONFIG_PASSPHRASE" or "PULUMI_CONFIG_PASSPHRASE_FILE (<path>)". */
    source: string;
}

/**
 * The passphrase the CLI would use, or undefined when neither variable provides one (the CLI would prompt, or fail
 * when not interactive). Throws SecretsError when PULUMI_CONFIG_PASSPHRASE_FILE names a file that cannot be read.
 */
export function readPassphrase(env: NodeJS.ProcessEnv, cwd: string = process.cwd()): Passphrase | undefined {
    const phrase = env.PULUMI_CONFIG_PASSPHRASE;
    if (phrase !== undefined) return { passphrase: phrase, source: "PULUMI_CONFIG_PASSPHRASE" };
    const file = env.PULUMI_CONFIG_PASSPHRASE_FILE;
    if (file === undefined || file === "") return undefined;
    const abs = path.resolve(cwd, file);
    let text: string;
    try {
        text = fs.readFileSync(abs, "utf8");
    } catch (e) {
        const err = e as NodeJS.ErrnoException;
        throw new SecretsError(`unable to read PULUMI_CONFIG_PASSPHRASE_FILE ${abs}: ${err.code ?? err.message}`);
    }
    return { passphrase: goTrimSpace(text), source: `PULUMI_CONFIG_PASSPHRASE_FILE (${abs})` };
}

/** The secrets provider of a parsed Pulumi.<stack>.yaml (secrets.go, GetSecretsManager). */
export function secretsProviderOf(stackDoc: Record<string, unknown>): SecretsProvider {
    const provider = typeof stackDoc.secretsprovider === "string" ? stackDoc.secretsprovider : "";
    if (provider !== "" && provider !== "passphrase" && provider !== "default") return provider;
    if (typeof stackDoc.encryptionsalt === "string" && stackDoc.encryptionsalt !== "") return "passphrase";
    // An explicit `secretsprovider: passphrase` without a salt is a passphrase stack whose salt has not been written
    // yet (the CLI would create one on first use); it cannot hold secrets that this salt-less file could decrypt.
    if (provider === "passphrase") return "passphrase";
    // With neither, the CLI asks the backend for its default: the service for Pulumi Cloud (a DIY backend would
    // create a passphrase salt, but such a file has no secure values it could decrypt either).
    return "service";
}

/** Keys derived per salt and passphrase, as the CLI caches its secrets managers per state: PBKDF2 is slow on purpose. */
const keyCache = new Map<string, Buffer>();

/** checkSalt with a cache keyed by the salt and a digest of the passphrase (never the passphrase itself). */
export function unlock(passphrase: string, state: string): Buffer {
    const id = `${state}\u0000${crypto.createHash("sha256").update(passphrase, "utf8").digest("base64")}`;
    const cached = keyCache.get(id);
    if (cached) return cached;
    const key = checkSalt(passphrase, state);
    keyCache.set(id, key);
    return key;
}
