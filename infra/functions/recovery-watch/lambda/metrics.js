"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.STORE_DIMENSION = exports.METRIC_NAME = void 0;
exports.publishAge = publishAge;
/** One CloudWatch datum per store and run: RecoveryPointAgeHours, dimension Store (the alarm's metric, exactly). */
const client_cloudwatch_1 = require("@aws-sdk/client-cloudwatch");
const util_1 = require("./util");
exports.METRIC_NAME = "RecoveryPointAgeHours";
exports.STORE_DIMENSION = "Store";
async function publishAge(cloudwatch, namespace, store, ageHours, at, timeoutMs) {
    await (0, util_1.withTimeout)(`PutMetricData ${namespace}/${exports.METRIC_NAME}`, timeoutMs, (abortSignal) => cloudwatch.send(new client_cloudwatch_1.PutMetricDataCommand({
        Namespace: namespace,
        MetricData: [
            {
                MetricName: exports.METRIC_NAME,
                Dimensions: [{ Name: exports.STORE_DIMENSION, Value: store }],
                Timestamp: at,
                Value: ageHours,
                Unit: "None",
            },
        ],
    }), { abortSignal }));
}
