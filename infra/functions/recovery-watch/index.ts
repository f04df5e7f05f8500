/**
 * The recovery-point watch (Lambda, Node.js; handler `index.handler`). Every run it reads, for each store in
 * WATCH_STORES, the age of the newest copy in the DR region and publishes it as RecoveryPointAgeHours{Store}. A store
 * whose read fails publishes nothing, so its alarm (missing data = breaching) fires; the others go on.
 * Imports only node builtins and the AWS SDK v3 clients the Lambda Node.js runtimes include
 * (https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html, "Runtime-included SDK versions"): the code is shipped transpiled,
 * not bundled.
 */
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { S3Client } from "@aws-sdk/client-s3";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { AtlasKeys, atlasRecoveryPoint } from "./atlas";
import { parseConfig, WatchConfig, WatchStore } from "./config";
import { publishAge } from "./metrics";
import { openSearchRecoveryPoint } from "./opensearch";
import { s3RecoveryPoint } from "./s3";
import { hoursBetween, reasonOf, WatchError, withTimeout } from "./util";

export interface Published {
    readonly store: string;
    readonly kind: string;
    readonly ageHours: number;
    readonly recoveryPoint: string;
}
export interface Failed {
    readonly store: string;
    readonly reason: string;
}
export interface WatchSummary {
    readonly published: Published[];
    readonly failed: Failed[];
}

export interface WatchDeps {
    s3(region?: string): S3Client;
    readonly cloudwatch: CloudWatchClient;
    secrets(region?: string): SecretsManagerClient;
    now(): Date;
    log(line: string): void;
}

/** Clients per invocation (cheap to make; the SDK reuses connections inside one client). */
export function awsDeps(): WatchDeps {
    const s3Clients = new Map<string, S3Client>();
    return {
        s3(region) {
            const key = region ?? "";
            let client = s3Clients.get(key);
            if (!client) {
                // The source bucket lives in the function's region; a redirect still finds it elsewhere.
                client = new S3Client(region ? { region } : { followRegionRedirects: true });
                s3Clients.set(key, client);
            }
            return client;
        },
        cloudwatch: new CloudWatchClient({}),
        secrets: (region) => new SecretsManagerClient(region ? { region } : {}),
        now: () => new Date(),
        log: (line) => console.log(line),
    };
}

/** The Atlas key pair, read once per invocation. Neither the value nor parts of it ever reach a message. */
async function atlasKeys(config: WatchConfig, deps: WatchDeps): Promise<AtlasKeys> {
    const arn = config.atlasSecretArn as string;
    const region = /^arn:[^:]+:secretsmanager:([^:]+):/.exec(arn)?.[1];
    let text: string | undefined;
    try {
        const out = await withTimeout(`GetSecretValue ${arn}`, config.timeoutMs, (abortSignal) =>
            deps.secrets(region).send(new GetSecretValueCommand({ SecretId: arn }), { abortSignal }),
        );
        text = out.SecretString;
    } catch (error) {
        throw new WatchError(`reading the Atlas API keys from Secrets Manager (${arn}) failed: ${reasonOf(error)}`);
    }
    let parsed: { publicKey?: unknown; privateKey?: unknown } | undefined;
    try {
        parsed = JSON.parse(text ?? "") as typeof parsed;
    } catch {
        parsed = undefined;
    }
    if (
        !parsed ||
        typeof parsed.publicKey !== "string" ||
        typeof parsed.privateKey !== "string" ||
        !parsed.publicKey ||
        !parsed.privateKey
    ) {
        throw new WatchError(`the secret ${arn} does not hold a JSON SecretString {"publicKey": "...", "privateKey": "..."}`);
    }
    return { publicKey: parsed.publicKey, privateKey: parsed.privateKey };
}

async function recoveryPoint(store: WatchStore, config: WatchConfig, deps: WatchDeps, keys: () => Promise<AtlasKeys>, now: Date) {
    switch (store.kind) {
        case "atlas":
            return atlasRecoveryPoint(config.atlasApiUrl, store, await keys(), config.timeoutMs);
        case "s3":
            return s3RecoveryPoint(store, { s3: (region) => deps.s3(region), timeoutMs: config.timeoutMs }, now);
        case "opensearch":
            return openSearchRecoveryPoint(store, deps.s3(store.copyRegion), config.timeoutMs);
    }
}

/** One run over all stores, each on its own: one store's failure never stops or changes another's. */
export async function watch(env: Record<string, string | undefined>, deps: WatchDeps): Promise<WatchSummary> {
    const config = parseConfig(env);
    const now = deps.now();
    let keysOnce: Promise<AtlasKeys> | undefined;
    const keys = () => (keysOnce ??= atlasKeys(config, deps));

    const results = await Promise.all(
        config.stores.map(async (store): Promise<Published | Failed> => {
            try {
                const point = await recoveryPoint(store, config, deps, keys, now);
                const ageHours = Math.max(0, hoursBetween(point.at, now));
                try {
                    await publishAge(deps.cloudwatch, config.namespace, store.store, ageHours, now, config.timeoutMs);
                } catch (error) {
                    throw new WatchError(`publishing the metric failed: ${reasonOf(error)}`);
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
            } catch (error) {
                const reason = reasonOf(error);
                deps.log(JSON.stringify({ store: store.store, kind: store.kind, environment: config.environment, failed: reason }));
                return { store: store.store, reason };
            }
        }),
    );
    return {
        published: results.filter((r): r is Published => "ageHours" in r),
        failed: results.filter((r): r is Failed => "reason" in r),
    };
}

/** Lambda entry point (scheduled by EventBridge; the event carries nothing the watch needs). */
export async function handler(event?: unknown): Promise<WatchSummary> {
    void event;
    return watch(process.env, awsDeps());
}
