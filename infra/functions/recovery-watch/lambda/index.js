"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.awsDeps = awsDeps;
exports.watch = watch;
exports.handler = handler;
/**
 * The recovery-point watch (Lambda, Node.js; handler `index.handler`). Every run it reads, for each store in
 * WATCH_STORES, the age of the newest copy in the DR region and publishes it as RecoveryPointAgeHours{Store}. A store
 * whose read fails publishes nothing, so its alarm (missing data = breaching) fires; the others go on.
 * Imports only node builtins and the AWS SDK v3 clients the Lambda Node.js runtimes include
 * (https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html, "Runtime-included SDK versions"): the code is shipped transpiled,
 * not bundled.
 */
const client_cloudwatch_1 = require("@aws-sdk/client-cloudwatch");
const client_s3_1 = require("@aws-sdk/client-s3");
const client_secrets_manager_1 = require("@aws-sdk/client-secrets-manager");
const atlas_1 = require("./atlas");
const config_1 = require("./config");
const metrics_1 = require("./metrics");
const opensearch_1 = require("./opensearch");
const s3_1 = require("./s3");
const util_1 = require("./util");
/** Clients per invocation (cheap to make; the SDK reuses connections inside one client). */
function awsDeps() {
    const s3Clients = new Map();
    return {
        s3(region) {
            const key = region ?? "";
            let client = s3Clients.get(key);
            if (!client) {
                // The source bucket lives in the function's region; a redirect still finds it elsewhere.
                client = new client_s3_1.S3Client(region ? { region } : { followRegionRedirects: true });
                s3Clients.set(key, client);
            }
            return client;
        },
        cloudwatch: new client_cloudwatch_1.CloudWatchClient({}),
        secrets: (region) => new client_secrets_manager_1.SecretsManagerClient(region ? { region } : {}),
        now: () => new Date(),
        log: (line) => console.log(line),
    };
}
/** The Atlas key pair, read once per invocation. Neither the value nor parts of it ever reach a message. */
async function atlasKeys(config, deps) {
    const arn = config.atlasSecretArn;
    const region = /^arn:[^:]+:secretsmanager:([^:]+):/.exec(arn)?.[1];
    let text;
    try {
        const out = await (0, util_1.withTimeout)(`GetSecretValue ${arn}`, config.timeoutMs, (abortSignal) => deps.secrets(region).send(new client_secrets_manager_1.GetSecretValueCommand({ SecretId: arn }), { abortSignal }));
        text = out.SecretString;
    }
    catch (error) {
        throw new util_1.WatchError(`reading the Atlas API keys from Secrets Manager (${arn}) failed: ${(0, util_1.reasonOf)(error)}`);
    }
    let parsed;
    try {
        parsed = JSON.parse(text ?? "");
    }
    catch {
        parsed = undefined;
    }
    if (!parsed ||
        typeof parsed.publicKey !== "string" ||
        typeof parsed.privateKey !== "string" ||
        !parsed.publicKey ||
        !parsed.privateKey) {
        throw new util_1.WatchError(`the secret ${arn} does not hold a JSON SecretString {"publicKey": "...", "privateKey": "..."}`);
    }
    return { publicKey: parsed.publicKey, privateKey: parsed.privateKey };
}
async function recoveryPoint(store, config, deps, keys, now) {
    switch (store.kind) {
        case "atlas":
            return (0, atlas_1.atlasRecoveryPoint)(config.atlasApiUrl, store, await keys(), config.timeoutMs);
        case "s3":
            return (0, s3_1.s3RecoveryPoint)(store, { s3: (region) => deps.s3(region), timeoutMs: config.timeoutMs }, now);
        case "opensearch":
            return (0, opensearch_1.openSearchRecoveryPoint)(store, deps.s3(store.copyRegion), config.timeoutMs);
    }
}
/** One run over all stores, each on its own: one store's failure never stops or changes another's. */
async function watch(env, deps) {
    const config = (0, config_1.parseConfig)(env);
    const now = deps.now();
    let keysOnce;
    const keys = () => (keysOnce ?? (keysOnce = atlasKeys(config, deps)));
    const results = await Promise.all(config.stores.map(async (store) => {
        try {
            const point = await recoveryPoint(store, config, deps, keys, now);
            const ageHours = Math.max(0, (0, util_1.hoursBetween)(point.at, now));
            try {
                await (0, metrics_1.publishAge)(deps.cloudwatch, config.namespace, store.store, ageHours, now, config.timeoutMs);
            }
            catch (error) {
                throw new util_1.WatchError(`publishing the metric failed: ${(0, util_1.reasonOf)(error)}`);
            }
            const line = {
                store: store.store,
                kind: store.kind,
                environment: config.environment,
                ageHours,
                rpoHours: store.rpoHours,
                overRpo: ageHours > store.rpoHours,
                recoveryPoint: point.at.toISOString(),
                detail: point.detail,
            };
            deps.log(JSON.stringify(line));
            return { store: store.store, kind: store.kind, ageHours, recoveryPoint: line.recoveryPoint };
        }
        catch (error) {
            const reason = (0, util_1.reasonOf)(error);
            deps.log(JSON.stringify({ store: store.store, kind: store.kind, environment: config.environment, failed: reason }));
            return { store: store.store, reason };
        }
    }));
    return {
        published: results.filter((r) => "ageHours" in r),
        failed: results.filter((r) => "reason" in r),
    };
}
/** Lambda entry point (scheduled by EventBridge; the event carries nothing the watch needs). */
async function handler(event) {
    void event;
    return watch(process.env, awsDeps());
}
