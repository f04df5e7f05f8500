// The pack's policies in order, and what the policy reference (policies/README.md, written by
// `npm run docs:policies`) says of each beyond its own name, description, level and settings: the
// resource types it judges, what a value unknown at preview means to it, and whether it guards data
// (those stay mandatory in every environment's config file; tests/policies/pack.spec.ts checks it).
import { Policy } from "@pulumi/policy";
import { backupPolicies, backupReference } from "./backup";
import { cachePolicies, cacheReference } from "./caches";
import { databasePolicies, databaseReference } from "./databases";
import { dynamodbPolicies, dynamodbReference } from "./dynamodb";
import { exemptionPolicies, exemptionReference } from "./exemptions";
import { atlasPolicies, atlasReference, AtlasTypes } from "./atlas";
import { monitoringPolicies, monitoringReference } from "./monitoring";
import { protectionPolicies, protectionReference } from "./protection";
import { searchPolicies, searchReference, SearchTypes } from "./search";
import { servicePolicies, ServiceTypes } from "./service";
import { storagePolicies, storageReference, StorageTypes } from "./storage";
import { PolicyReference } from "./types";
import { redshiftPolicies, redshiftReference } from "./redshift";
import { resiliencePolicies, resilienceReference } from "./resilience";
import { volumePolicies, volumeReference } from "./volumes";

export { PolicyReference };

export const policies: Policy[] = [
    ...atlasPolicies,
    ...storagePolicies,
    ...searchPolicies,
    ...databasePolicies,
    ...dynamodbPolicies,
    ...volumePolicies,
    ...cachePolicies,
    ...redshiftPolicies,
    ...backupPolicies,
    ...exemptionPolicies,
    ...servicePolicies,
    ...protectionPolicies,
    ...monitoringPolicies,
    ...resiliencePolicies,
];

const SKIPPED = "skipped by the SDK with an advisory note; judged at `pulumi up`";
const FAVOUR = "counts in the stack's favour; judged again at `pulumi up`";

export const reference: Record<string, PolicyReference> = {
    ...atlasReference,
    ...storageReference,
    ...searchReference,
    ...databaseReference,
    ...dynamodbReference,
    ...volumeReference,
    ...cacheReference,
    ...redshiftReference,
    ...backupReference,
    ...exemptionReference,
    ...protectionReference,
    ...resilienceReference,
    ...monitoringReference,
    "service-desired-count": { resources: [ServiceTypes.service], unknown: SKIPPED, protectsData: false, anchors: "none" },
    "service-subnet-zones": {
        resources: [ServiceTypes.service, ServiceTypes.subnet],
        unknown: `unknown subnets or zones ${FAVOUR}; subnets outside the stack count only by number`,
        protectsData: false,
        anchors: "none",
    },
    "service-health-check-grace": { resources: [ServiceTypes.service], unknown: SKIPPED, protectsData: false, anchors: "none" },
    "service-circuit-breaker": { resources: [ServiceTypes.service], unknown: SKIPPED, protectsData: false, anchors: "none" },
    "service-target-group-health-check": { resources: ServiceTypes.targetGroup, unknown: SKIPPED, protectsData: false, anchors: "none" },
    "service-load-balancer-zones": {
        resources: [...ServiceTypes.loadBalancer, ServiceTypes.subnet],
        unknown: `unknown subnets or zones ${FAVOUR}; subnets outside the stack count only by number`,
        protectsData: false,
        anchors: "AWS Config elbv2-multiple-az; beyond: the number of zones",
    },
    "service-uptime-check": {
        resources: [...ServiceTypes.loadBalancer, ServiceTypes.healthCheck, ServiceTypes.canary, ServiceTypes.alarm],
        unknown: `an unknown health-check id or alarm action ${FAVOUR}`,
        protectsData: false,
        anchors: "none",
    },
    "monitoring-backup-failure-alerts": {
        resources: [
            AtlasTypes.backupSchedule,
            "mongodbatlas:index/alertConfiguration:AlertConfiguration",
            ...SearchTypes.snapshotPolicy,
            "pulumi-nodejs:dynamic/opensearch:NotificationChannel",
            ...StorageTypes.task,
            ...StorageTypes.replication,
            "aws:backup/plan:Plan",
            "aws:backup/vaultNotifications:VaultNotifications",
            "aws:cloudwatch/eventRule:EventRule",
            "aws:cloudwatch/eventTarget:EventTarget",
            "aws:cloudwatch/metricAlarm:MetricAlarm",
            "aws:sns/topic:Topic",
            "aws:sns/topicSubscription:TopicSubscription",
        ],
        unknown: `an unknown link (project, pattern, rule, topic, subscription) ${FAVOUR}; a topic outside the stack is a violation (its subscribers cannot be seen)`,
        protectsData: true,
        anchors: "Checkov CKV_AWS_319 (alarm actions enabled); beyond: the anchors do not link a backup to its alarm",
    },
};
