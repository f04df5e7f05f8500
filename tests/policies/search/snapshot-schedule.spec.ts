import * as assert from "assert";
import { cronGapHours, cronRuns, keptDays, searchSnapshotSchedule, Runs, spanHours, timeValueDays } from "../../../policies/search";
import { checkStack, messages, TestResource, UNKNOWN, urnOf } from "../../helpers/policy";
import { Props, domain, rest, policyBody, smPolicy, bucket, compliant, without } from "./fixtures";

describe("search policies (policies/search.ts)", () => {
    describe("search-snapshot-schedule", () => {
        const required = "this environment requires a snapshot at least every 24 hours, kept at least 14 days";
        it("rejects a domain without a snapshot policy whose automated snapshots (kept 14 days) fall short, with the domain's URN", async () => {
            const o = await checkStack(searchSnapshotSchedule, without(compliant(), "daily"), { minRetentionDays: 30 });
            assert.deepStrictEqual(o.violations, [
                {
                    message:
                        "The OpenSearch domain 'search' has no snapshot-management policy, and AWS takes its automated snapshots every hour and keeps them 14 days, which no setting changes; this environment requires a snapshot at least every 24 hours, kept at least 30 days. Declare a snapshot-management policy on the domain that does (an opensearch.SmPolicy of the opensearch provider, or a policy sent to _plugins/_sm/policies through a dynamic provider).",
                    urn: urnOf(domain()),
                },
            ]);
        });
        it("rejects a weekly snapshot policy, with the policy's URN", async () => {
            const rs = [
                ...without(compliant(), "daily"),
                smPolicy({ creation: { schedule: { cron: { expression: "0 2 * * SAT", timezone: "UTC" } } } }),
            ];
            const o = await checkStack(searchSnapshotSchedule, rs);
            assert.deepStrictEqual(o.violations, [
                {
                    message: `The snapshot policy 'daily' of OpenSearch domain 'search' runs on "0 2 * * SAT", up to 168 hours apart; ${required}.`,
                    urn: urnOf(smPolicy()),
                },
            ]);
        });
        it("reads the schedule as OpenSearch runs it: every day of the month is daily, and a day matching either day field runs", async () => {
            const on = (expression: string, timezone = "UTC") => [
                ...without(compliant(), "daily"),
                smPolicy({ creation: { schedule: { cron: { expression, timezone } } } }),
            ];
            // Before: "0 2 1-31 * *" was read as one run every 28 days.
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, on("0 2 1-31 * *"))), []);
            // Day of month OR day of week: the 1st and every day from Monday to Sunday.
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, on("0 2 1 * 0-6"))), []);
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, on("0 2 1,15 * MON"))), [
                `The snapshot policy 'daily' of OpenSearch domain 'search' runs on "0 2 1,15 * MON", up to 168 hours apart; ${required}.`,
            ]);
        });
        it("measures the schedule in its time zone, daylight saving included, and names a zone it cannot read", async () => {
            const on = (timezone: string) => [
                ...without(compliant(), "daily"),
                smPolicy({ creation: { schedule: { cron: { expression: "0 2 * * *", timezone } } } }),
            ];
            // The night the clocks go back, 02:00 New York time comes 25 hours after the one before.
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, on("America/New_York"))), [
                `The snapshot policy 'daily' of OpenSearch domain 'search' runs on "0 2 * * *" in time zone "America/New_York", up to 25 hours apart; ${required}.`,
            ]);
            assert.deepStrictEqual(
                messages(await checkStack(searchSnapshotSchedule, on("America/New_York"), { maxIntervalHours: 25 })),
                [],
            );
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, on("Asia/Tokyo"))), []);
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, on("Mars/Olympus_Mons"))), [
                `The snapshot policy 'daily' of OpenSearch domain 'search' runs on "0 2 * * *" in time zone "Mars/Olympus_Mons", a schedule this guard cannot read; ${required}.`,
            ]);
        });
        it("rejects a short retention and a disabled policy, and takes both limits from config", async () => {
            const short = [...without(compliant(), "daily"), smPolicy({ deletion: { condition: { max_age: "3d", max_count: 20 } } })];
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, short)), [
                `The snapshot policy 'daily' of OpenSearch domain 'search' keeps snapshots 3 days; ${required}.`,
            ]);
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, short, { minRetentionDays: 3 })), []);
            const disabled = [...without(compliant(), "daily"), smPolicy({ enabled: false })];
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, disabled)), [
                `The snapshot policy 'daily' of OpenSearch domain 'search' is disabled; ${required}.`,
            ]);
            assert.deepStrictEqual(
                messages(await checkStack(searchSnapshotSchedule, compliant(), { maxIntervalHours: 6, minRetentionDays: 7 })),
                [
                    "The snapshot policy 'daily' of OpenSearch domain 'search' runs on \"0 2 * * *\", up to 24 hours apart; this environment requires a snapshot at least every 6 hours, kept at least 7 days.",
                ],
            );
        });
        it("ignores a policy on another domain", async () => {
            const other = { ...domain({ domainName: "other" }), name: "other" };
            const rs = [
                ...without(compliant(), "daily"),
                other,
                rest("SnapshotPolicy", "daily", "x", policyBody({ enabled: false }), other),
            ];
            // 'search' falls back on its automated snapshots; the disabled policy is 'other''s alone.
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, rs)), [
                `The snapshot policy 'daily' of OpenSearch domain 'other' is disabled; ${required}.`,
            ]);
        });
        it("links through a known endpoint once the domain exists", async () => {
            const rs = without(compliant(), "daily").map((r) =>
                r.name === "search" ? { ...r, props: { ...r.props, endpoint: "search-search-abc123.us-west-2.es.amazonaws.com" } } : r,
            );
            const byHost = {
                ...smPolicy(),
                propertyDependencies: {},
                props: { ...smPolicy().props, endpoint: "https://search-search-abc123.us-west-2.es.amazonaws.com" },
            };
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, [...rs, byHost])), []);
        });
        it("counts an unknown endpoint or schedule in the stack's favour at preview", async () => {
            const unlinked = { ...smPolicy(), propertyDependencies: {} };
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, [...without(compliant(), "daily"), unlinked])), []);
            const unknownCron = [...without(compliant(), "daily"), smPolicy({ creation: { schedule: { cron: { expression: UNKNOWN } } } })];
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, unknownCron)), []);
            const unknownBody = [...without(compliant(), "daily"), { ...smPolicy(), props: { ...smPolicy().props, body: UNKNOWN } }];
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, unknownBody)), []);
        });
        const withPolicy = (policy: TestResource, rs = compliant()) => [...without(rs, "daily"), policy];
        /** A domain with no policy of its own passes on its automated snapshots (hourly, 14 days) under the default settings. */
        const noPolicy: string[] = [];
        const disabled = `The snapshot policy 'daily' of OpenSearch domain 'search' is disabled; ${required}.`;
        /** A disabled policy whose endpoint is `endpoint` and that is linked only by `dependencies`. */
        const unlinked = (endpoint: unknown, dependencies: string[] = []): TestResource => ({
            ...smPolicy({ enabled: false }),
            props: { ...smPolicy().props, body: policyBody({ enabled: false }), endpoint },
            propertyDependencies: {},
            dependencies,
        });
        const withEndpoint = (r: TestResource, props: Props) => ({ ...r, props: { ...r.props, ...props } });

        it("rejects a policy without a body, without a creation schedule, or on a schedule it cannot read", async () => {
            const noBody = withPolicy({ ...smPolicy(), props: { ...smPolicy().props, body: undefined } });
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, noBody)), [
                `The snapshot policy 'daily' of OpenSearch domain 'search' has no body; ${required}.`,
            ]);
            for (const creation of [undefined, {}, { schedule: {} }, { schedule: { cron: {} } }]) {
                assert.deepStrictEqual(
                    messages(await checkStack(searchSnapshotSchedule, withPolicy(smPolicy({ creation })))),
                    [`The snapshot policy 'daily' of OpenSearch domain 'search' has no creation schedule; ${required}.`],
                    JSON.stringify(creation),
                );
            }
            const unreadable = withPolicy(smPolicy({ creation: { schedule: { cron: { expression: "@daily" } } } }));
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, unreadable)), [
                `The snapshot policy 'daily' of OpenSearch domain 'search' runs on "@daily", a schedule this guard cannot read; ${required}.`,
            ]);
        });
        it("rejects a retention it cannot read, and counts an unknown one in the stack's favour", async () => {
            const unreadable = withPolicy(smPolicy({ deletion: { condition: { max_age: "two weeks" } } }));
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, unreadable)), [
                `The snapshot policy 'daily' of OpenSearch domain 'search' keeps snapshots for "two weeks", a time this guard cannot read; ${required}.`,
            ]);
            const unknownAge = withPolicy(smPolicy({ deletion: { condition: { max_age: UNKNOWN } } }));
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, unknownAge)), []);
            const unknownEnabled = withPolicy(smPolicy({ enabled: UNKNOWN }));
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, unknownEnabled)), []);
        });
        it("rejects a count that a bunched schedule replaces within days, though its longest gap times the count is weeks", async () => {
            const bunched = { schedule: { cron: { expression: "0 0,1,2,3 * * *" } } };
            const rs = withPolicy(smPolicy({ creation: bunched, deletion: { condition: { max_count: 20 } } }));
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, rs)), [
                `The snapshot policy 'daily' of OpenSearch domain 'search' keeps snapshots 5 days; ${required}.`,
            ]);
            const enough = withPolicy(smPolicy({ creation: bunched, deletion: { condition: { max_count: 56 } } }));
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, enough)), []);
        });
        it("names a fractional retention to two decimals and a single day in the singular", async () => {
            const everyEightHours = { schedule: { cron: { expression: "0 */8 * * *" } } };
            const fraction = withPolicy(smPolicy({ creation: everyEightHours, deletion: { condition: { max_count: 7, min_count: 1 } } }));
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, fraction)), [
                `The snapshot policy 'daily' of OpenSearch domain 'search' keeps snapshots 2.33 days; ${required}.`,
            ]);
            const oneDay = withPolicy(smPolicy({ deletion: { condition: { max_age: "1d" } } }));
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, oneDay)), [
                `The snapshot policy 'daily' of OpenSearch domain 'search' keeps snapshots 1 day; ${required}.`,
            ]);
            assert.deepStrictEqual(
                messages(await checkStack(searchSnapshotSchedule, oneDay, { minRetentionDays: 1, maxIntervalHours: 24 })),
                [],
            );
        });
        it("lets a domain through when one of its policies meets the schedule, and reports every policy when none does", async () => {
            const hourly = { ...smPolicy({ creation: { schedule: { cron: { expression: "0 * * * *" } } } }), name: "hourly" };
            const weekly = { ...smPolicy({ creation: { schedule: { cron: { expression: "0 2 * * SUN" } } } }), name: "weekly" };
            const off = smPolicy({ enabled: false });
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, [...compliant(), weekly])), []);
            assert.deepStrictEqual(
                messages(await checkStack(searchSnapshotSchedule, [...without(compliant(), "daily"), weekly, hourly])),
                [],
            );
            const o = await checkStack(searchSnapshotSchedule, [...without(compliant(), "daily"), off, weekly]);
            assert.deepStrictEqual(o.violations, [
                { message: disabled, urn: urnOf(off) },
                {
                    message: `The snapshot policy 'weekly' of OpenSearch domain 'search' runs on "0 2 * * SUN", up to 168 hours apart; ${required}.`,
                    urn: urnOf(weekly),
                },
            ]);
        });
        it("does not judge a domain's failing policies while a policy of unknown endpoint may be its own", async () => {
            const maybe = { ...unlinked(UNKNOWN), name: "maybe" };
            assert.deepStrictEqual(
                messages(await checkStack(searchSnapshotSchedule, [...withPolicy(smPolicy({ enabled: false })), maybe])),
                [],
            );
        });
        it("links a policy of unknown endpoint by a plain dependency on the domain, and leaves it undecided otherwise", async () => {
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, withPolicy(unlinked(UNKNOWN, [urnOf(domain())])))), [
                disabled,
            ]);
            const other = bucket("search-snapshots", "us-west-2");
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, withPolicy(unlinked(UNKNOWN, [urnOf(other)])))), []);
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, withPolicy(unlinked(UNKNOWN)))), []);
        });
        it("follows an endpoint built from a non-domain resource to the endpoint's value", async () => {
            const viaBucket = {
                ...unlinked(UNKNOWN, [urnOf(domain())]),
                propertyDependencies: { endpoint: [urnOf(bucket("search-snapshots", "us-west-2"))] },
            };
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, withPolicy(viaBucket))), [disabled]);
        });
        it("does not link a policy without an endpoint, or whose endpoint names another host", async () => {
            assert.deepStrictEqual(
                messages(await checkStack(searchSnapshotSchedule, withPolicy(unlinked(undefined, [urnOf(domain())])))),
                noPolicy,
            );
            const known = compliant().map((r) =>
                r.name === "search" ? withEndpoint(r, { endpoint: "search-search-abc123.us-west-2.es.amazonaws.com" }) : r,
            );
            const elsewhere = unlinked("https://search-logs-abc123.us-west-2.es.amazonaws.com");
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, withPolicy(elsewhere, known))), noPolicy);
        });
        it("links a policy whose endpoint host is the domain's own endpoint, with or without scheme, port and path", async () => {
            // The domain's name does not match the host, so only the endpoint itself links them.
            const custom = (endpoint: string) => compliant().map((r) => (r.name === "search" ? withEndpoint(r, { endpoint }) : r));
            const host = "vpc-custom-xyz789.us-west-2.es.amazonaws.com";
            for (const [own, theirs] of [
                [host, `http://${host}:443/_plugins/_sm`],
                [host, `https://${host}/`],
                [`https://${host}`, host],
                [`http://${host}`, `${host}:443`],
            ]) {
                assert.deepStrictEqual(
                    messages(await checkStack(searchSnapshotSchedule, withPolicy(unlinked(theirs), custom(own)))),
                    [disabled],
                    `${own} / ${theirs}`,
                );
            }
            assert.deepStrictEqual(
                messages(await checkStack(searchSnapshotSchedule, withPolicy(unlinked(`https://x${host}`), custom(host)))),
                noPolicy,
            );
        });
        it("links a policy by the search-<name>-<id> or vpc-<name>-<id> host AWS gives the domain, and not a domain whose name only starts alike", async () => {
            const unknownEndpoint = compliant().map((r) => (r.name === "search" ? withEndpoint(r, { endpoint: UNKNOWN }) : r));
            for (const host of ["search-search-abc123.us-west-2.es.amazonaws.com", "vpc-search-0a1b2c.us-west-2.es.amazonaws.com"]) {
                assert.deepStrictEqual(
                    messages(await checkStack(searchSnapshotSchedule, withPolicy(unlinked(`https://${host}`), unknownEndpoint))),
                    [disabled],
                    host,
                );
            }
            for (const host of [
                "search-search-prod-abc123.us-west-2.es.amazonaws.com",
                "search-vpc-search-abc123.us-west-2.es.amazonaws.com",
                "search-search-.us-west-2.es.amazonaws.com",
                "other-search-abc123.us-west-2.es.amazonaws.com",
            ]) {
                assert.deepStrictEqual(
                    messages(await checkStack(searchSnapshotSchedule, withPolicy(unlinked(`https://${host}`), unknownEndpoint))),
                    noPolicy,
                    host,
                );
            }
        });
        it("does not link a known endpoint to a domain whose name and endpoint are unknown", async () => {
            const nameless = { ...domain({ domainName: UNKNOWN, endpoint: UNKNOWN }), name: "other" };
            const rs = withPolicy(unlinked("https://search-search-abc123.us-west-2.es.amazonaws.com"), [...compliant(), nameless]);
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotSchedule, rs)), [disabled]);
        });
        it("reads cron hours and week days: lists in any order, ranges, steps, names and 7 for Sunday", () => {
            assert.strictEqual(cronGapHours("  0 2 * * *  "), 24);
            assert.strictEqual(cronGapHours("0\t2  * *   *"), 24);
            assert.strictEqual(cronGapHours("0 0 * * *"), 24);
            assert.strictEqual(cronGapHours("0 23 * * *"), 24);
            assert.strictEqual(cronGapHours("0 20,2,14 * * *"), 12);
            assert.strictEqual(cronGapHours("0 */12 * * *"), 12);
            assert.strictEqual(cronGapHours("0 1/10 * * *"), 10);
            assert.strictEqual(cronGapHours("0 2-8/3 * * *"), 18);
            assert.strictEqual(cronGapHours("0 * * * *"), 1);
            assert.strictEqual(cronGapHours("*/15 * * * *"), 0.25);
            assert.strictEqual(cronGapHours("30 1 * * *"), 24);
            assert.strictEqual(cronGapHours("0,30 2 * * *"), 23.5);
            assert.strictEqual(cronGapHours("0 2 * * sun"), 168);
            assert.strictEqual(cronGapHours("0 2 * * MON-FRI"), 72);
            assert.strictEqual(cronGapHours("0 2 * * SUN,MON,TUE,WED,THU,FRI,SAT"), 24);
            assert.strictEqual(cronGapHours("0 2 * * 7"), 168);
            assert.strictEqual(cronGapHours("0 2 * * 6,7"), 144);
            assert.strictEqual(cronGapHours("0 2 * * 0,3"), 96);
            assert.strictEqual(cronGapHours("0 2 * * */2"), 48);
        });
        it("reads days of the month and months from the calendar: every day is daily, a day matching either day field runs", () => {
            assert.strictEqual(cronGapHours("0 2 1-31 * *"), 24); // the example, read as 28 days before
            assert.strictEqual(cronGapHours("0 2 */2 * *"), 48); // the 29th of a 30-day month, then the 1st
            assert.strictEqual(cronGapHours("0 2 1 * *"), 31 * 24);
            assert.strictEqual(cronGapHours("0 2 1,15 * *"), 17 * 24); // 15 January to 1 February
            assert.strictEqual(cronGapHours("0 2 31 * *"), 61 * 24); // 31 March to 31 May
            assert.strictEqual(cronGapHours("0 2 * 1 *"), 336 * 24); // 31 January to the next 1 January
            assert.strictEqual(cronGapHours("0 2 * jan *"), 336 * 24);
            assert.strictEqual(cronGapHours("0 2 * JAN-DEC *"), 24);
            assert.strictEqual(cronGapHours("0 0 29 2 *"), 1461 * 24); // 29 February 2024 to 29 February 2028
            // Both day fields restricted: either one (Vixie cron, OpenSearch), not both.
            assert.strictEqual(cronGapHours("0 2 1 * 1"), 168);
            assert.strictEqual(cronGapHours("0 2 1-31 * 1"), 24);
            assert.strictEqual(cronGapHours("0 2 1,15 * MON"), 168);
        });
        it("reads every month's name", () => {
            assert.strictEqual(cronGapHours("0 2 1 JAN,APR,JUL,OCT *"), 92 * 24);
            assert.strictEqual(cronGapHours("0 2 15 FEB,MAR,MAY,JUN,AUG,SEP,NOV,DEC *"), 62 * 24);
        });
        it("counts snapshots from the run of a day that is replaced soonest, not only from the first", () => {
            // 00:00 and 23:00: the 23:00 snapshot is replaced an hour later, by the next day's first.
            assert.strictEqual(spanHours(cronRuns("0 0,23 * * *")!, 1), 1);
        });
        it("measures in the policy's time zone, with its daylight-saving changes", () => {
            assert.strictEqual(cronGapHours("0 2 * * *", "UTC"), 24);
            assert.strictEqual(cronGapHours("0 2 * * *", "Asia/Tokyo"), 24);
            assert.strictEqual(cronGapHours("0 2 * * *", "America/New_York"), 25);
            assert.strictEqual(cronGapHours("30 1 * * *", "Europe/Paris"), 25);
            assert.strictEqual(cronGapHours("0 */6 * * *", "America/New_York"), 7); // 18:00 to 00:00 the night the clocks go back
            assert.strictEqual(cronGapHours("0 2 * * *", "Mars/Olympus_Mons"), undefined);
        });
        it("does not read out-of-range, reversed, zero-step, malformed, wrong-length or non-OpenSearch cron expressions, nor one that never runs", () => {
            for (const expression of [
                "0 24 * * *",
                "0 14-2 * * *",
                "0 */0 * * *",
                "0 X * * *",
                "0 #2 * * *",
                "0 2# * * *",
                "0 2 * * 8",
                "0 2 * * FOO",
                "0 2 * * SATURDAY",
                "0 2 * * 1X",
                "0 2 * * X1",
                "0 2 * * 1,",
                "0 2 * *",
                "0 2 * * * *", // cron-parser would read six fields as seconds first
                "",
                "@daily",
                "H 2 * * *",
                "0 2 ? * *",
                "0 2 L * *",
                "0 2 * * 5L",
                "0 2 * * 1#2",
                "0 2 * * JAN",
                "0 2 * SUN *",
                "0 2 31 2 *", // never runs
                "0 2,2,14 * * *", // cron-parser refuses a value listed twice
                "0 2 * * 0,3,7", // and Sunday twice
            ]) {
                assert.strictEqual(cronGapHours(expression), undefined, expression);
            }
        });
        it("reads time values in days, hours, minutes and seconds, and nothing else", () => {
            assert.strictEqual(timeValueDays(" 14d "), 14);
            assert.strictEqual(timeValueDays("336h"), 14);
            assert.strictEqual(timeValueDays("20160m"), 14);
            assert.strictEqual(timeValueDays("1209600s"), 14);
            for (const junk of ["14", "d", "14 d", "x14d", "14dx", "14w", "-1d", "1.5d"])
                assert.strictEqual(timeValueDays(junk), undefined, junk);
        });
        /** A run every `hours` hours. */
        const every = (hours: 8 | 12 | 24): Runs => cronRuns(`0 */${hours} * * *`)!;
        it("keeps snapshots forever without a deletion condition, max_age alone, and min_count 1 at least", () => {
            assert.strictEqual(keptDays({ deletion: {} }, every(24)), Number.POSITIVE_INFINITY);
            assert.strictEqual(keptDays({ deletion: { condition: {} } }, every(24)), Number.POSITIVE_INFINITY);
            assert.strictEqual(keptDays({ deletion: { condition: { max_age: "14d" } } }, every(24)), 14);
            assert.strictEqual(keptDays({ deletion: { condition: { max_age: "1h" } } }, every(24)), 1);
            assert.strictEqual(keptDays({ deletion: { condition: { max_age: "1h" } } }, every(12)), 0.5);
            assert.strictEqual(keptDays({ deletion: { condition: { max_age: "soon" } } }, every(24)), undefined);
            assert.strictEqual(keptDays({ deletion: { condition: { max_count: 48 } } }, every(12)), 24);
        });
        it("counts snapshots by the runs that replace them at their most frequent, not by the longest gap", () => {
            // Four runs in the first hours of each day: 20 snapshots last 5 days, not 20 times the 21-hour gap.
            const bunched = cronRuns("0 0,1,2,3 * * *")!;
            assert.deepStrictEqual(
                bunched.offsets,
                [0, 1, 2, 3].map((h) => h * 3_600_000),
            );
            assert.deepStrictEqual(
                [spanHours(bunched, 1), spanHours(bunched, 4), spanHours(bunched, 20), spanHours(bunched, 21)],
                [1, 24, 120, 121],
            );
            assert.strictEqual(keptDays({ deletion: { condition: { max_count: 20 } } }, bunched), 5);
            // Weekdays only: five snapshots last a week whichever day the count starts on, not 5 × 72 hours.
            const weekdays = cronRuns("0 2 * * 1-5")!;
            assert.deepStrictEqual(
                weekdays.days.slice(0, 6).map((d) => new Date(d).toISOString()),
                [
                    "2024-01-01T02:00:00.000Z",
                    "2024-01-02T02:00:00.000Z",
                    "2024-01-03T02:00:00.000Z",
                    "2024-01-04T02:00:00.000Z",
                    "2024-01-05T02:00:00.000Z",
                    "2024-01-08T02:00:00.000Z",
                ],
            );
            assert.deepStrictEqual(weekdays.offsets, [0]);
            assert.deepStrictEqual([spanHours(weekdays, 1), spanHours(weekdays, 5), spanHours(weekdays, 6)], [24, 168, 192]);
            assert.strictEqual(keptDays({ deletion: { condition: { max_count: 5 } } }, weekdays), 7);
            assert.strictEqual(keptDays({ deletion: { condition: { max_age: "30d", max_count: 1, min_count: 10 } } }, weekdays), 14);
            // Twice a day, every day of the month: 14 snapshots last 7 days.
            assert.strictEqual(keptDays({ deletion: { condition: { max_count: 14 } } }, cronRuns("0 2,14 1-31 * *")!), 7);
            // More runs than the eight years hold: kept for longer than the window can show.
            assert.strictEqual(spanHours(cronRuns("0 2 1 1 *")!, 8), Number.POSITIVE_INFINITY);
            assert.strictEqual(cronRuns("daily"), undefined);
        });
        it("reads cron schedules and retention", () => {
            assert.strictEqual(cronGapHours("0 2 * * *"), 24);
            assert.strictEqual(cronGapHours("0 */6 * * *"), 6);
            assert.strictEqual(cronGapHours("0 2,14 * * *"), 12);
            assert.strictEqual(cronGapHours("0 2 * * SAT"), 168);
            assert.strictEqual(cronGapHours("0 2 * * 1-5"), 72);
            assert.strictEqual(cronGapHours("0 2 1 * *"), 744);
            assert.strictEqual(cronGapHours("daily"), undefined);
            assert.strictEqual(timeValueDays("14d"), 14);
            assert.strictEqual(timeValueDays("48h"), 2);
            assert.strictEqual(timeValueDays("two weeks"), undefined);
            // max_count 3 at three a day keeps one day; min_count 7 keeps 7/3 days anyway.
            assert.strictEqual(keptDays({ deletion: { condition: { max_count: 3, min_count: 7 } } }, every(8)), 7 / 3);
            assert.strictEqual(keptDays({ deletion: { condition: { max_age: "30d", max_count: 7 } } }, every(24)), 7);
            assert.strictEqual(keptDays({}, every(24)), Number.POSITIVE_INFINITY);
        });
    });
});
