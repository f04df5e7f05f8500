// continuity:alerting and continuity:alertWebhookUrl — who hears of a failed backup or an outage.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { Problems } from "./problems";
import { TierContext, email, settings, tier } from "./rules";

export const alertingSchema = (ctx: TierContext) =>
    settings(
        {
            emails: z
                .array(email(), { error: "must be a list of e-mail addresses" })
                .min(1, { error: "must list at least one e-mail address: a backup that fails must reach someone" })
                .meta({ allowed: "≥ 1 e-mail address" }),
        },
        "emails",
    ).transform((alerting) => ({ emails: alerting.emails, webhookUrl: ctx.webhookUrl }));

export type AlertingSettings = z.output<ReturnType<typeof alertingSchema>>;

export const WEBHOOK_KEY = "alertWebhookUrl";

/**
 * continuity:alertWebhookUrl, a plain string key that must be set as a secret; its problems are written
 * into `problems`, and the value itself never is.
 */
export function webhookUrl(raw: string | undefined, secret: boolean, problems: Problems): pulumi.Output<string> | undefined {
    if (raw === undefined) return undefined;
    if (!secret) {
        problems.addSecret(
            [WEBHOOK_KEY],
            "must be set as a secret (pulumi config set --secret alertWebhookUrl <url>); it is stored in plain text now",
        );
    } else if (!/^https:\/\/[^\s/]+/.test(raw)) {
        problems.addSecret([WEBHOOK_KEY], "must be an https:// URL (got a secret value that is not)");
    } else {
        return pulumi.secret(raw);
    }
    return undefined;
}

export const alertingTier = tier({
    key: "alerting",
    schema: alertingSchema,
    secretHome: "A chat or incident webhook belongs in continuity:alertWebhookUrl, set with --secret. ",
});
