import * as assert from "assert";
import { checkStack, messages, TestResource, UNKNOWN, urnOf } from "../../helpers/policy";
import { Props, policy, channel, schedule, atlasAlert, edit, compliant, without, replace, judge } from "./fixtures";

const ATLAS = "The Atlas backup schedule 'schedule' can fail silently: ";

describe("monitoring policies (policies/monitoring.ts)", () => {
    it("let every mechanism with a signal to a subscribed topic through", async () => {
        assert.deepStrictEqual(messages(await checkStack(policy, compliant())), []);
    });

    it("rejects an Atlas schedule without a backup alert in its project, with its URN", async () => {
        const o = await checkStack(policy, without(compliant(), "snapshot-behind"));
        assert.deepStrictEqual(o.violations, [
            {
                message:
                    "The Atlas backup schedule 'schedule' can fail silently: no enabled Atlas alert on snapshot, copy or oplog failures (CPS_SNAPSHOT_*, CPS_COPY_SNAPSHOT_*, CPS_OPLOG_*) in its project notifies anyone.",
                urn: urnOf(schedule),
            },
        ]);
    });
    it("rejects an Atlas alert without an address, and ignores a disabled one or one on restores", async () => {
        assert.deepStrictEqual(
            messages(await checkStack(policy, replace(compliant(), atlasAlert({ notifications: [{ typeName: "EMAIL" }] })))),
            [
                "The Atlas backup schedule 'schedule' can fail silently: its Atlas alert 'snapshot-behind' (CPS_SNAPSHOT_BEHIND) notifies no address.",
            ],
        );
        for (const props of [{ enabled: false }, { eventType: "CPS_RESTORE_FAILED" }]) {
            assert.deepStrictEqual(
                messages(await checkStack(policy, replace(compliant(), atlasAlert(props)))).length,
                1,
                JSON.stringify(props),
            );
        }
        assert.deepStrictEqual(
            messages(
                await checkStack(
                    policy,
                    replace(compliant(), atlasAlert({ notifications: [{ typeName: "GROUP", roles: ["GROUP_OWNER"] }] })),
                ),
            ),
            [],
        );
    });
    it("links an existing project by its id, and counts an unknown event type in favour", async () => {
        const literal = [
            { ...schedule, props: { ...schedule.props, projectId: "abc" }, propertyDependencies: {} },
            { ...atlasAlert(), props: { ...atlasAlert().props, projectId: "abc" }, propertyDependencies: {} },
        ];
        assert.deepStrictEqual(messages(await checkStack(policy, [...channel(), ...literal])), []);
        assert.deepStrictEqual(messages(await checkStack(policy, replace(compliant(), atlasAlert({ eventType: UNKNOWN })))), []);
    });
    it("counts an Atlas notification by SMS, user or team only with its number, username or team, and any other type by its name", async () => {
        const cases: [Props, boolean][] = [
            [{ typeName: "SMS", mobileNumber: "+15551234567" }, true],
            [{ typeName: "SMS" }, false],
            [{ typeName: "USER", username: "ops@example.com" }, true],
            [{ typeName: "USER" }, false],
            [{ typeName: "TEAM", teamId: "5f1d0c2e" }, true],
            [{ typeName: "TEAM", teamName: "ops" }, true],
            [{ typeName: "TEAM" }, false],
            [{ typeName: "SLACK", channelName: "#ops" }, true],
            [{ typeName: "" }, false],
            [{ emailAddress: "ops@example.com" }, false],
        ];
        for (const [notification, reaches] of cases) {
            assert.deepStrictEqual(
                await judge(replace(compliant(), atlasAlert({ notifications: [notification] }))),
                reaches ? [] : [`${ATLAS}its Atlas alert 'snapshot-behind' (CPS_SNAPSHOT_BEHIND) notifies no address.`],
                JSON.stringify(notification),
            );
        }
    });
    it("counts an Atlas alert with one addressed notification among others, and rejects one without notifications", async () => {
        const some = [{ typeName: "EMAIL" }, { typeName: "EMAIL", emailAddress: "ops@example.com" }];
        assert.deepStrictEqual(await judge(replace(compliant(), atlasAlert({ notifications: some }))), []);
        assert.deepStrictEqual(await judge(replace(compliant(), atlasAlert({ notifications: undefined }))), [
            `${ATLAS}its Atlas alert 'snapshot-behind' (CPS_SNAPSHOT_BEHIND) notifies no address.`,
        ]);
    });
    it("lets a schedule through when another of its alerts notifies someone or may at preview, and names the first silent alert otherwise", async () => {
        const silent = replace(compliant(), atlasAlert({ notifications: [{ typeName: "EMAIL" }] }));
        const oplog = (props: Props = {}): TestResource => ({
            ...atlasAlert({ eventType: "CPS_OPLOG_BEHIND", ...props }),
            name: "oplog-behind",
        });
        assert.deepStrictEqual(await judge([...silent, oplog()]), []);
        assert.deepStrictEqual(await judge([...silent, oplog({ enabled: UNKNOWN, notifications: [] })]), []);
        assert.deepStrictEqual(await judge([...silent, oplog({ notifications: [] })]), [
            `${ATLAS}its Atlas alert 'snapshot-behind' (CPS_SNAPSHOT_BEHIND) notifies no address.`,
        ]);
    });
    it("counts only alerts whose event type starts with CPS_SNAPSHOT_, CPS_COPY_SNAPSHOT_ or CPS_OPLOG_", async () => {
        assert.deepStrictEqual(await judge(replace(compliant(), atlasAlert({ eventType: "CPS_OPLOG_BEHIND" }))), []);
        // A failed copy to the DR region is a backup failure of its own (Atlas Administration API event type).
        assert.deepStrictEqual(await judge(replace(compliant(), atlasAlert({ eventType: "CPS_COPY_SNAPSHOT_FAILED" }))), []);
        assert.deepStrictEqual(
            await judge(
                replace(compliant(), atlasAlert({ eventType: "CPS_COPY_SNAPSHOT_FAILED", notifications: [{ typeName: "EMAIL" }] })),
            ),
            [`${ATLAS}its Atlas alert 'snapshot-behind' (CPS_COPY_SNAPSHOT_FAILED) notifies no address.`],
        );
        assert.deepStrictEqual(await judge(replace(compliant(), atlasAlert({ eventType: "CPS_COPYSNAPSHOT_FAILED" }))), [
            `${ATLAS}no enabled Atlas alert on snapshot, copy or oplog failures (CPS_SNAPSHOT_*, CPS_COPY_SNAPSHOT_*, CPS_OPLOG_*) in its project notifies anyone.`,
        ]);
        assert.deepStrictEqual(await judge(replace(compliant(), atlasAlert({ eventType: "NO_CPS_SNAPSHOT_TAKEN" }))), [
            `${ATLAS}no enabled Atlas alert on snapshot, copy or oplog failures (CPS_SNAPSHOT_*, CPS_COPY_SNAPSHOT_*, CPS_OPLOG_*) in its project notifies anyone.`,
        ]);
    });
    it("counts an Atlas alert whose enabled flag or notifications are unknown in favour at preview", async () => {
        assert.deepStrictEqual(
            await judge(replace(compliant(), atlasAlert({ enabled: UNKNOWN, notifications: [{ typeName: "EMAIL" }] }))),
            [],
        );
        assert.deepStrictEqual(await judge(replace(compliant(), atlasAlert({ notifications: UNKNOWN }))), []);
    });
    it("does not link an alert of another project or of no project, and counts a project id unknown on either side in favour", async () => {
        const inProject = (r: TestResource, projectId: unknown) => edit(r, { projectId }, {});
        const none = [
            `${ATLAS}no enabled Atlas alert on snapshot, copy or oplog failures (CPS_SNAPSHOT_*, CPS_COPY_SNAPSHOT_*, CPS_OPLOG_*) in its project notifies anyone.`,
        ];
        assert.deepStrictEqual(await judge([inProject(schedule, "abc"), inProject(atlasAlert(), "def")]), none);
        assert.deepStrictEqual(await judge([inProject(schedule, undefined), inProject(atlasAlert(), undefined)]), none);
        assert.deepStrictEqual(await judge([inProject(schedule, UNKNOWN), inProject(atlasAlert(), "def")]), []);
        assert.deepStrictEqual(await judge([inProject(schedule, "abc"), inProject(atlasAlert(), UNKNOWN)]), []);
    });
    it("judges each schedule against the alerts of its own project: an address unknown in another project's alert leaves it judged", async () => {
        const inProject = (r: TestResource, projectId: unknown, name = r.name) => ({ ...edit(r, { projectId }, {}), name });
        const unknownAddress = atlasAlert({ notifications: [{ typeName: "EMAIL", emailAddress: UNKNOWN }] });
        const orders = inProject(schedule, "5f1a2b3c4d5e6f7a8b9c0d1e");
        const billing = inProject({ ...schedule, name: "billing-schedule" }, "6a7b8c9d0e1f2a3b4c5d6e7f");
        const stack = [orders, billing, inProject(unknownAddress, "6a7b8c9d0e1f2a3b4c5d6e7f", "billing-snapshot-behind")];
        // The orders project has no alert: rejected. The billing alert's address is unknown at preview: in its favour.
        assert.deepStrictEqual((await checkStack(policy, stack)).violations, [
            {
                message: `${ATLAS}no enabled Atlas alert on snapshot, copy or oplog failures (CPS_SNAPSHOT_*, CPS_COPY_SNAPSHOT_*, CPS_OPLOG_*) in its project notifies anyone.`,
                urn: urnOf(orders),
            },
        ]);
        // In the billing project beside an alert without an address: the unknown one may reach someone, in its favour.
        const silent = inProject(atlasAlert({ notifications: [{ typeName: "EMAIL" }] }), "6a7b8c9d0e1f2a3b4c5d6e7f", "billing-silent");
        assert.deepStrictEqual(messages(await checkStack(policy, [billing, silent, stack[2]])), []);
        assert.deepStrictEqual(messages(await checkStack(policy, [billing, silent])), [
            "The Atlas backup schedule 'billing-schedule' can fail silently: its Atlas alert 'billing-silent' (CPS_SNAPSHOT_BEHIND) notifies no address.",
        ]);
        // 200 schedules and 200 alerts in one project, one alert without an address among them: each schedule names it.
        const many = Array.from({ length: 200 }, (_, i) => [
            inProject({ ...schedule, name: `schedule-${i}` }, "5f1a2b3c4d5e6f7a8b9c0d1e"),
            inProject(
                atlasAlert(i === 199 ? { notifications: [{ typeName: "EMAIL" }] } : { enabled: false }),
                "5f1a2b3c4d5e6f7a8b9c0d1e",
                `alert-${i}`,
            ),
        ]).flat();
        const found = messages(await checkStack(policy, many));
        assert.strictEqual(found.length, 200);
        assert.strictEqual(
            found[0],
            "The Atlas backup schedule 'schedule-0' can fail silently: its Atlas alert 'alert-199' (CPS_SNAPSHOT_BEHIND) notifies no address.",
        );
    });
});
