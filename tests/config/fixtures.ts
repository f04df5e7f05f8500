import * as assert from "assert";
import { ConfigError, parseConfig, RawConfig } from "../../infra/config";

export const VALID = {
    environment: "staging",
    regions: { primary: "us-west-2", dr: "us-east-1" },
    atlas: { projectId: "0123456789abcdef01234567" },
    alerting: { emails: ["devops@example.com"] },
    service: { certificateArn: "arn:aws:acm:us-west-2:123456789012:certificate/0a1b", task: { image: "app:1" } },
};

export type Settings = Record<string, any>;

/** A raw config as the CLI passes it, from settings by key without namespace. */
export function raw(settings: Settings, opts: { stack?: string; secretKeys?: string[]; extra?: Record<string, string> } = {}): RawConfig {
    const values: Record<string, string> = { ...opts.extra };
    for (const [k, v] of Object.entries(settings)) {
        if (v !== undefined) values[`continuity:${k}`] = typeof v === "string" ? v : JSON.stringify(v);
    }
    return { stack: opts.stack ?? "staging", values, secretKeys: new Set(opts.secretKeys ?? []) };
}

export function edit(change: (s: Settings) => void): Settings {
    const s = JSON.parse(JSON.stringify(VALID));
    change(s);
    return s;
}

/** The refusal of a bucket's weekly DataSync copy, which is no longer offered. */
export const weeklyCopyRefused = (index: number) =>
    `continuity:storage.buckets[${index}].copy can no longer be weekly (a weekly DataSync copy): ` +
    "DataSync is not documented to write into a bucket under an Object Lock default retention, which the DR copy has. " +
    "Use replication (the default): every new version copied into Deep Archive under Object Lock within minutes. " +
    'See README, "Why replication" (got "weekly")';

/** The refusal of the weekly copy's schedule, no longer read; `got` is the value as the message shows it. */
export const weeklyScheduleRefused = (got: string) =>
    "continuity:storage.weekly is no longer read: it scheduled the weekly DataSync copy, which is no longer offered " +
    "(DataSync is not documented to write into a bucket under an Object Lock default retention, which the DR copy has). " +
    "Every bucket is copied by replication within minutes, with no schedule: remove this setting. " +
    `See README, "Why replication" (got ${got})`;

export function problems(settings: Settings, opts?: Parameters<typeof raw>[1]): readonly string[] {
    try {
        parseConfig(raw(settings, opts));
    } catch (e) {
        assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${e}`);
        return e.problems;
    }
    assert.fail("expected the config to be rejected");
}
