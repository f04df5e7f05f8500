// The passphrase secrets provider as the Pulumi CLI implements it (tools/check/secrets.ts) and the stack
// configuration the offline check builds with it (tools/check/stackConfig.ts).
//
// Vectors: CLI_SALT is the `encryptionsalt` state of pkg/secrets/passphrase/manager_test.go in
// github.com/pulumi/pulumi, written by the CLI's NewPassphraseSecretsManager for the passphrase "password"
// (TestPassphraseManagerCorrectPassphraseReturnsSecretsManager; "password123" is its wrong passphrase), and
// CLI_EMPTY_SALT the state of the passphrase secrets plugin's test (TestPassphraseEmptyPassphraseIsValid) for the
// empty passphrase. Their check values are ciphertexts the CLI produced, so they serve as secure values too. The
// derived keys and the fixed-nonce ciphertext below were computed independently with Python (hashlib.pbkdf2_hmac
// and cryptography's AESGCM).
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    checkSalt,
    decryptValue,
    deriveKey,
    encryptValue,
    goTrimSpace,
    IncorrectPassphraseError,
    newEncryptionSalt,
    readPassphrase,
    SecretsError,
    secretsProviderOf,
} from "../../tools/check/secrets";
import { readStackConfig, StackConfigError } from "../../tools/check/stackConfig";
import { SECRET_PLACEHOLDER } from "../../tools/check/wire";

const CLI_SALT = "v1:fozI5u6B030=:v1:F+6ZduKKd8G0/V7L:PGMFeIzwobWRKmEAzUdaQHqC5mMRIQ==";
const CLI_CHECK_VALUE = "v1:F+6ZduKKd8G0/V7L:PGMFeIzwobWRKmEAzUdaQHqC5mMRIQ==";
const CLI_KEY_HEX = "7e700703e28b164e816cb939612c938b8dcf8f8a5237d02824cea3fb656b3a8b";
const CLI_EMPTY_SALT = "v1:LVuDkcjhUns=:v1:WPbL+tmbxnqWswQ2:lebZxStyHT3IZkmbN+3xCx9zqtoPog==";

const STAPLE = "correct horse battery staple";
const FIXED_SALT = Buffer.from([0, 1, 2, 3, 4, 5, 6, 7]);
const FIXED_NONCE = Buffer.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
const STAPLE_KEY_HEX = "dae8f6c1223ee25f8b4cffdebf5e8d9ceaa24c9948753b7bdcc277e2ea09278d";

function errorOf(f: () => unknown): Error {
    try {
        f();
    } catch (e) {
        return e as Error;
    }
    throw new Error("expected an error");
}

function project(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "continuity-secrets-"));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: demo\nruntime: nodejs\n");
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    return dir;
}

describe("passphrase secrets as the Pulumi CLI keeps them", () => {
    describe("the crypto (crypt.go, passphrase/manager.go)", () => {
        it("derives the key with PBKDF2-HMAC-SHA256, 1,000,000 iterations, 32 bytes", () => {
            assert.strictEqual(deriveKey(STAPLE, FIXED_SALT).toString("hex"), STAPLE_KEY_HEX);
            assert.strictEqual(deriveKey("password", Buffer.from("fozI5u6B030=", "base64")).toString("hex"), CLI_KEY_HEX);
        });

        it("encrypts as v1:<nonce>:<AES-256-GCM ciphertext and tag>, base64", () => {
            const key = Buffer.from(STAPLE_KEY_HEX, "hex");
            assert.strictEqual(encryptValue(key, "hunter2 ☃", FIXED_NONCE), "v1:AAECAwQFBgcICQoL:5DRXOu9WcJC3/jJuSa+AcBy64YWWPD7I2jJk");
            assert.strictEqual(decryptValue(key, "v1:AAECAwQFBgcICQoL:5DRXOu9WcJC3/jJuSa+AcBy64YWWPD7I2jJk"), "hunter2 ☃");
        });

        it("round-trips values under a random nonce, the empty string included", () => {
            const key = Buffer.from(STAPLE_KEY_HEX, "hex");
            for (const plain of ["", "s3cret", "ünïcödé ✓", "a:b:c"]) {
                const value = encryptValue(key, plain);
                assert.strictEqual(value.split(":").length, 3);
                assert.strictEqual(Buffer.from(value.split(":")[1], "base64").length, 12);
                assert.strictEqual(decryptValue(key, value), plain);
            }
            assert.notStrictEqual(encryptValue(key, "same"), encryptValue(key, "same"));
        });

        it("decrypts the CLI's own ciphertext with the key of its passphrase", () => {
            assert.strictEqual(decryptValue(Buffer.from(CLI_KEY_HEX, "hex"), CLI_CHECK_VALUE), "pulumi");
        });

        it("refuses malformed values with the CLI's messages", () => {
            const key = Buffer.from(CLI_KEY_HEX, "hex");
            const cases: [string, string][] = [
                ["v1:F+6ZduKKd8G0/V7L", "bad value"],
                ["v1:a:b:c", "bad value"],
                ["v2:F+6ZduKKd8G0/V7L:PGMFeIzwobWRKmEAzUdaQHqC5mMRIQ==", "unknown value version"],
                ["v1:AAAA:PGMFeIzwobWRKmEAzUdaQHqC5mMRIQ==", "bad value: nonce size is incorrect"],
                ["v1:F+6ZduKKd8G0/V7L:PGMF*IzwobWRKmEAzUdaQHqC5mMRIQ==", "bad value: the ciphertext is not valid base64"],
                ["v1:F+6ZduKKd8G0/V7L:PGMFeIzwobWRKmEAzUdaQHqC5mMRIQ", "bad value: the ciphertext is not valid base64"],
                ["v1:F+6ZduKKd8G0/V7L:PGMFeIzw", "cipher: message authentication failed"],
                ["v1:F+6ZduKKd8G0/V7L:PGMFeIzwobWRKmEAzUdaQHqC5mMRIA==", "cipher: message authentication failed"],
            ];
            for (const [value, message] of cases) {
                const e = errorOf(() => decryptValue(key, value));
                assert.ok(e instanceof SecretsError, value);
                assert.strictEqual(e.message, message, value);
            }
            const wrongKey = Buffer.from(STAPLE_KEY_HEX, "hex");
            assert.strictEqual(errorOf(() => decryptValue(wrongKey, CLI_CHECK_VALUE)).message, "cipher: message authentication failed");
        });
    });

    describe("the salt state check (manager.go, symmetricCrypterFromPhraseAndState)", () => {
        it("unlocks the CLI's salt with its passphrase and returns the derived key", () => {
            assert.strictEqual(checkSalt("password", CLI_SALT).toString("hex"), CLI_KEY_HEX);
        });

        it("unlocks the CLI's salt of the empty passphrase", () => {
            const key = checkSalt("", CLI_EMPTY_SALT);
            assert.strictEqual(decryptValue(key, "v1:WPbL+tmbxnqWswQ2:lebZxStyHT3IZkmbN+3xCx9zqtoPog=="), "pulumi");
        });

        it("reports a wrong passphrase as the CLI's 'incorrect passphrase'", () => {
            for (const [phrase, state] of [
                ["password123", CLI_SALT],
                ["", CLI_SALT],
                ["password", CLI_EMPTY_SALT],
            ]) {
                const e = errorOf(() => checkSalt(phrase, state));
                assert.ok(e instanceof IncorrectPassphraseError);
                assert.strictEqual(e.message, "incorrect passphrase");
            }
        });

        it("reports a check value that does not decrypt to 'pulumi' as an incorrect passphrase", () => {
            const key = deriveKey(STAPLE, FIXED_SALT);
            const notPulumi = `v1:${FIXED_SALT.toString("base64")}:${encryptValue(key, "not pulumi", FIXED_NONCE)}`;
            assert.strictEqual(errorOf(() => checkSalt(STAPLE, notPulumi)).message, "incorrect passphrase");
            assert.strictEqual(
                errorOf(() => checkSalt(STAPLE, `v1:${FIXED_SALT.toString("base64")}:garbage`)).message,
                "incorrect passphrase",
            );
        });

        it("refuses malformed states as the CLI does", () => {
            assert.strictEqual(errorOf(() => checkSalt("password", "v1:fozI5u6B030=")).message, "malformed state value");
            assert.strictEqual(
                errorOf(() => checkSalt("password", "fozI5u6B030=:v1:F+6ZduL:PGMFeIzwobWRKmEAzUdaQHqC5mMRIQ==")).message,
                "unknown state version",
            );
            assert.strictEqual(
                errorOf(() => checkSalt("password", "v1:f*zI5u6B030=:v1:x:y")).message,
                "bad value: the salt is not valid base64",
            );
        });

        it("writes a new salt whose check value the check accepts", () => {
            const { state, key } = newEncryptionSalt(STAPLE, FIXED_SALT, FIXED_NONCE);
            assert.strictEqual(state, `v1:AAECAwQFBgc=:${encryptValue(Buffer.from(STAPLE_KEY_HEX, "hex"), "pulumi", FIXED_NONCE)}`);
            assert.strictEqual(key.toString("hex"), STAPLE_KEY_HEX);
            assert.strictEqual(checkSalt(STAPLE, state).toString("hex"), STAPLE_KEY_HEX);
        });
    });

    describe("the passphrase source (manager.go, readPassphrase)", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "continuity-phrase-"));
        const file = path.join(dir, "phrase.txt");
        fs.writeFileSync(file, `  ${STAPLE}\n\n`);

        it("takes PULUMI_CONFIG_PASSPHRASE first, even when it is empty", () => {
            assert.deepStrictEqual(readPassphrase({ PULUMI_CONFIG_PASSPHRASE: "one", PULUMI_CONFIG_PASSPHRASE_FILE: file }), {
                passphrase: "one",
                source: "PULUMI_CONFIG_PASSPHRASE",
            });
            assert.deepStrictEqual(readPassphrase({ PULUMI_CONFIG_PASSPHRASE: "", PULUMI_CONFIG_PASSPHRASE_FILE: file }), {
                passphrase: "",
                source: "PULUMI_CONFIG_PASSPHRASE",
            });
        });

        it("reads PULUMI_CONFIG_PASSPHRASE_FILE, relative to the working directory, trimmed as Go trims", () => {
            assert.deepStrictEqual(readPassphrase({ PULUMI_CONFIG_PASSPHRASE_FILE: "phrase.txt" }, dir), {
                passphrase: STAPLE,
                source: `PULUMI_CONFIG_PASSPHRASE_FILE (${file})`,
            });
            assert.strictEqual(goTrimSpace("\u0085\u00a0 pass phrase\t\u3000"), "pass phrase");
            assert.strictEqual(goTrimSpace("\ufeffpass\ufeff"), "\ufeffpass\ufeff");
        });

        it("has no passphrase when neither variable gives one (an empty file variable counts as unset)", () => {
            assert.strictEqual(readPassphrase({}), undefined);
            assert.strictEqual(readPassphrase({ PULUMI_CONFIG_PASSPHRASE_FILE: "" }), undefined);
        });

        it("names a passphrase file that cannot be read", () => {
            const missing = path.join(dir, "missing.txt");
            const e = errorOf(() => readPassphrase({ PULUMI_CONFIG_PASSPHRASE_FILE: missing }));
            assert.ok(e instanceof SecretsError);
            assert.strictEqual(e.message, `unable to read PULUMI_CONFIG_PASSPHRASE_FILE ${missing}: ENOENT`);
        });
    });

    describe("the secrets provider of a stack file (stack/secrets.go, GetSecretsManager)", () => {
        it("is the URL of a cloud provider, the passphrase with a salt, the service otherwise", () => {
            assert.strictEqual(
                secretsProviderOf({ secretsprovider: "awskms://alias/pulumi?region=us-west-2", encryptedkey: "AQI=" }),
                "awskms://alias/pulumi?region=us-west-2",
            );
            assert.strictEqual(secretsProviderOf({ secretsprovider: "gcpkms://k", encryptionsalt: CLI_SALT }), "gcpkms://k");
            assert.strictEqual(secretsProviderOf({ encryptionsalt: CLI_SALT }), "passphrase");
            assert.strictEqual(secretsProviderOf({ secretsprovider: "default", encryptionsalt: CLI_SALT }), "passphrase");
            assert.strictEqual(secretsProviderOf({ secretsprovider: "passphrase" }), "passphrase");
            assert.strictEqual(secretsProviderOf({ secretsprovider: "default" }), "service");
            assert.strictEqual(secretsProviderOf({ config: {} }), "service");
        });
    });

    describe("readStackConfig with a passphrase", () => {
        it("decrypts a stack file the CLI wrote (its salt and ciphertext, passphrase 'password')", () => {
            const dir = project({
                "Pulumi.dev.yaml": [
                    `encryptionsalt: ${CLI_SALT}`,
                    "config:",
                    "  aws:region: us-west-2",
                    "  demo:word:",
                    `    secure: ${CLI_CHECK_VALUE}`,
                ].join("\n"),
            });
            const c = readStackConfig(dir, "dev", { PULUMI_CONFIG_PASSPHRASE: "password" });
            assert.deepStrictEqual(c, {
                project: "demo",
                stack: "dev",
                config: { "aws:region": "us-west-2", "demo:word": "pulumi" },
                secretKeys: ["demo:word"],
                placeholderKeys: [],
                secretsProvider: "passphrase",
            });
        });

        const { state, key } = newEncryptionSalt(STAPLE, FIXED_SALT);
        const stackYaml = [
            `encryptionsalt: ${state}`,
            "config:",
            "  aws:region: eu-west-1",
            "  retries: 3",
            "  demo:apiKey:",
            `    secure: ${encryptValue(key, "k-123")}`,
            "  demo:db:",
            "    host: db.internal",
            "    port: 5432",
            "    password:",
            `      secure: ${encryptValue(key, 'p"w&<d>')}`,
            "  demo:tokens:",
            "    - plain",
            "    - secure: " + encryptValue(key, "t-1"),
            "    - nested:",
            "        secure: " + encryptValue(key, "t-2"),
            "  demo:notSecret:",
            "    secure: 1",
        ].join("\n");

        it("puts plaintext in place of every secure leaf and lists each such key as secret", () => {
            const dir = project({ "Pulumi.dev.yaml": stackYaml });
            const c = readStackConfig(dir, "dev", { PULUMI_CONFIG_PASSPHRASE: STAPLE });
            assert.deepStrictEqual(c.config, {
                "aws:region": "eu-west-1",
                "demo:retries": "3",
                "demo:apiKey": "k-123",
                "demo:db": '{"host":"db.internal","port":5432,"password":"p\\"w&<d>"}',
                "demo:tokens": '["plain","t-1",{"nested":"t-2"}]',
                "demo:notSecret": '{"secure":1}',
            });
            assert.deepStrictEqual(c.secretKeys, ["demo:apiKey", "demo:db", "demo:tokens"]);
            assert.deepStrictEqual(c.placeholderKeys, []);
            assert.strictEqual(c.secretsProvider, "passphrase");
        });

        it("reads the passphrase from PULUMI_CONFIG_PASSPHRASE_FILE", () => {
            const dir = project({ "Pulumi.dev.yaml": stackYaml, phrase: `${STAPLE}\n` });
            const c = readStackConfig(dir, "dev", { PULUMI_CONFIG_PASSPHRASE_FILE: path.join(dir, "phrase") });
            assert.strictEqual(c.config["demo:apiKey"], "k-123");
            assert.deepStrictEqual(c.placeholderKeys, []);
        });

        it("stops on a wrong passphrase with one message naming the stack file, never the passphrase or a secret", () => {
            const dir = project({ "Pulumi.dev.yaml": stackYaml, phrase: STAPLE });
            const file = path.join(dir, "Pulumi.dev.yaml");
            // PULUMI_CONFIG_PASSPHRASE wins over a file holding the right passphrase.
            const e = errorOf(() =>
                readStackConfig(dir, "dev", {
                    PULUMI_CONFIG_PASSPHRASE: "Tr0ub4dor&3",
                    PULUMI_CONFIG_PASSPHRASE_FILE: path.join(dir, "phrase"),
                }),
            );
            assert.ok(e instanceof StackConfigError);
            assert.strictEqual(
                e.message,
                `${file}: incorrect passphrase: the passphrase from PULUMI_CONFIG_PASSPHRASE does not unlock this stack's encryptionsalt ` +
                    `(pulumi preview stops with "get stack secrets manager: incorrect passphrase"); set PULUMI_CONFIG_PASSPHRASE to the ` +
                    `correct passphrase or PULUMI_CONFIG_PASSPHRASE_FILE to a file containing it.`,
            );
            for (const leak of ["Tr0ub4dor&3", STAPLE, "k-123", "t-1"]) assert.ok(!e.message.includes(leak), leak);
        });

        it("checks the salt even when no value is secure, as the CLI does", () => {
            const dir = project({ "Pulumi.dev.yaml": `encryptionsalt: ${CLI_SALT}\nconfig:\n  aws:region: us-west-2\n` });
            const e = errorOf(() => readStackConfig(dir, "dev", { PULUMI_CONFIG_PASSPHRASE: "password123" }));
            assert.ok(e instanceof StackConfigError);
            assert.ok(e.message.startsWith(`${path.join(dir, "Pulumi.dev.yaml")}: incorrect passphrase:`), e.message);
            assert.deepStrictEqual(readStackConfig(dir, "dev", { PULUMI_CONFIG_PASSPHRASE: "password" }).config, {
                "aws:region": "us-west-2",
            });
        });

        it("names a PULUMI_CONFIG_PASSPHRASE_FILE that cannot be read", () => {
            const dir = project({ "Pulumi.dev.yaml": stackYaml });
            const missing = path.join(dir, "no-such-file");
            const e = errorOf(() => readStackConfig(dir, "dev", { PULUMI_CONFIG_PASSPHRASE_FILE: missing }));
            assert.ok(e instanceof StackConfigError);
            assert.strictEqual(
                e.message,
                `${path.join(dir, "Pulumi.dev.yaml")}: unable to read PULUMI_CONFIG_PASSPHRASE_FILE ${missing}: ENOENT`,
            );
        });

        it("refuses secure values of a passphrase stack without an encryptionsalt", () => {
            const dir = project({
                "Pulumi.dev.yaml": `secretsprovider: passphrase\nconfig:\n  demo:apiKey:\n    secure: ${CLI_CHECK_VALUE}\n`,
            });
            const e = errorOf(() => readStackConfig(dir, "dev", { PULUMI_CONFIG_PASSPHRASE: "password" }));
            assert.ok(e instanceof StackConfigError);
            assert.strictEqual(
                e.message,
                `${path.join(dir, "Pulumi.dev.yaml")} has secure values but no encryptionsalt: the passphrase secrets provider cannot decrypt them without the salt they were encrypted with.`,
            );
        });

        it("names the key of a value this salt's key cannot decrypt", () => {
            const other = deriveKey("another passphrase", FIXED_SALT);
            const dir = project({
                "Pulumi.dev.yaml": `encryptionsalt: ${CLI_SALT}\nconfig:\n  demo:db:\n    users:\n      - secure: ${encryptValue(other, "x")}\n`,
            });
            const e = errorOf(() => readStackConfig(dir, "dev", { PULUMI_CONFIG_PASSPHRASE: "password" }));
            assert.ok(e instanceof StackConfigError);
            assert.strictEqual(
                e.message,
                `${path.join(dir, "Pulumi.dev.yaml")}: failed to decrypt config demo:db.users[0]: cipher: message authentication failed`,
            );
        });

        it("refuses an encryptionsalt the CLI could not read", () => {
            const dir = project({ "Pulumi.dev.yaml": `encryptionsalt: v2:abc:def\nconfig:\n  demo:a:\n    secure: ${CLI_CHECK_VALUE}\n` });
            const e = errorOf(() => readStackConfig(dir, "dev", { PULUMI_CONFIG_PASSPHRASE: "password" }));
            assert.ok(e instanceof StackConfigError);
            assert.strictEqual(e.message, `${path.join(dir, "Pulumi.dev.yaml")}: encryptionsalt cannot be used: unknown state version`);
        });
    });

    describe("readStackConfig without a usable passphrase", () => {
        const secure = `config:\n  aws:region: us-west-2\n  demo:apiKey:\n    secure: ${CLI_CHECK_VALUE}\n  demo:db:\n    password:\n      secure: ${CLI_CHECK_VALUE}\n`;

        it("passes placeholders for a passphrase stack when no passphrase is set", () => {
            const dir = project({ "Pulumi.dev.yaml": `encryptionsalt: ${CLI_SALT}\n${secure}` });
            assert.deepStrictEqual(readStackConfig(dir, "dev", {}), {
                project: "demo",
                stack: "dev",
                config: {
                    "aws:region": "us-west-2",
                    "demo:apiKey": SECRET_PLACEHOLDER,
                    "demo:db": JSON.stringify({ password: SECRET_PLACEHOLDER }),
                },
                secretKeys: ["demo:apiKey", "demo:db"],
                placeholderKeys: ["demo:apiKey", "demo:db"],
                secretsProvider: "passphrase",
            });
        });

        it("passes placeholders for a KMS stack or a service stack, whatever the passphrase", () => {
            const kms = project({ "Pulumi.dev.yaml": `secretsprovider: awskms://alias/pulumi\nencryptedkey: AQICAHg=\n${secure}` });
            const kmsConfig = readStackConfig(kms, "dev", { PULUMI_CONFIG_PASSPHRASE: "password" });
            assert.strictEqual(kmsConfig.secretsProvider, "awskms://alias/pulumi");
            assert.deepStrictEqual(kmsConfig.placeholderKeys, ["demo:apiKey", "demo:db"]);
            assert.strictEqual(kmsConfig.config["demo:apiKey"], SECRET_PLACEHOLDER);

            const service = project({ "Pulumi.dev.yaml": secure });
            const serviceConfig = readStackConfig(service, "dev", {
                PULUMI_CONFIG_PASSPHRASE: "password",
                PULUMI_CONFIG_PASSPHRASE_FILE: "/no/such/file",
            });
            assert.strictEqual(serviceConfig.secretsProvider, "service");
            assert.deepStrictEqual(serviceConfig.placeholderKeys, ["demo:apiKey", "demo:db"]);
        });
    });

    describe("the passphrase-secrets fixture program", () => {
        const dir = path.join(__dirname, "..", "fixtures", "programs", "passphrase-secrets");

        it("decrypts dbPassword with the passphrase documented in Pulumi.test.yaml", () => {
            assert.deepStrictEqual(readStackConfig(dir, "test", { PULUMI_CONFIG_PASSPHRASE: STAPLE }), {
                project: "passphrase-secrets",
                stack: "test",
                config: {
                    "aws:region": "us-west-2",
                    "passphrase-secrets:dbName": "app",
                    "passphrase-secrets:dbPassword": "s3cret-Passw0rd!",
                    "passphrase-secrets:backupSettings": '{"backupDays":14,"window":"03:00-04:00"}',
                },
                secretKeys: ["passphrase-secrets:dbPassword", "passphrase-secrets:backupSettings"],
                placeholderKeys: [],
                secretsProvider: "passphrase",
            });
        });

        it("passes the placeholder without it", () => {
            const c = readStackConfig(dir, "test", {});
            assert.strictEqual(c.config["passphrase-secrets:dbPassword"], SECRET_PLACEHOLDER);
            assert.deepStrictEqual(c.placeholderKeys, ["passphrase-secrets:dbPassword", "passphrase-secrets:backupSettings"]);
        });
    });
});
