import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

export interface DrillReminderArgs {
    /** Region of the alert topic (the primary region). */
    readonly region: pulumi.Input<string>;
    /** The months drills are due in, 1–12 (the plan: twice a year). */
    readonly months: readonly number[];
    /** The last drill's date (YYYY-MM-DD), when one is recorded. */
    readonly last?: string;
    /** The project and stack the drill is for, named in the notice. */
    readonly project: string;
    readonly stack: string;
    readonly alertTopicArn: pulumi.Input<string>;
    readonly tags?: Record<string, string>;
}

/** The EventBridge schedule of the reminder: 09:00 UTC on the first day of each drill month. */
export function drillSchedule(months: readonly number[]): string {
    if (months.length === 0 || months.some((m) => !Number.isInteger(m) || m < 1 || m > 12)) {
        throw new Error(`DrillReminder: months must be whole numbers from 1 to 12, at least one (got ${JSON.stringify(months)}).`);
    }
    return `cron(0 9 1 ${[...new Set(months)].sort((a, b) => a - b).join(",")} ? *)`;
}

/**
 * The plan tests the DR plan twice a year. On the first day of each drill month an EventBridge rule
 * publishes a notice to the alert topic (whose policy lets this account's EventBridge rules publish):
 * which stack, where the drill's checklist is, when the last drill was, and how to record this one.
 */
export class DrillReminder extends pulumi.ComponentResource {
    readonly rule: aws.cloudwatch.EventRule;
    readonly schedule: string;

    constructor(name: string, args: DrillReminderArgs, opts?: pulumi.ComponentResourceOptions) {
        super("continuity:drills:DrillReminder", name, {}, opts);
        this.schedule = drillSchedule(args.months);
        const child = { parent: this };
        this.rule = new aws.cloudwatch.EventRule(
            `${name}-rule`,
            {
                region: args.region,
                description: `A DR drill of ${args.project} ${args.stack} is due (${args.months.map((m) => MONTHS[m - 1]).join(", ")})`,
                scheduleExpression: this.schedule,
                tags: args.tags,
            },
            child,
        );
        new aws.cloudwatch.EventTarget(
            `${name}-target`,
            {
                region: args.region,
                rule: this.rule.name,
                arn: args.alertTopicArn,
                input: JSON.stringify(drillNotice(args)),
            },
            child,
        );
        this.registerOutputs({ schedule: this.schedule });
    }
}

/** What the alert says: the stack, the checklist, the last drill, how to record this one. */
export function drillNotice(args: Pick<DrillReminderArgs, "project" | "stack" | "months" | "last">): Record<string, string> {
    return {
        notice: `A DR drill of ${args.project} (stack ${args.stack}) is due this month.`,
        lastDrill: args.last ?? "none recorded",
        checklist: `docs/dr-plan/${args.stack}.md, section "DR tests": what each drill must prove, and a checklist per store`,
        plan: `npm run report -- --stack ${args.stack}`,
        record: `after the drill: pulumi config set --path continuity:drills.last <YYYY-MM-DD> --stack ${args.stack}, then npm run docs:dr-plan`,
    };
}
