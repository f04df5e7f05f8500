/** One CloudWatch datum per store and run: RecoveryPointAgeHours, dimension Store (the alarm's metric, exactly). */
import { CloudWatchClient, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { withTimeout } from "./util";

export const METRIC_NAME = "RecoveryPointAgeHours";
export const STORE_DIMENSION = "Store";

export async function publishAge(
    cloudwatch: CloudWatchClient,
    namespace: string,
    store: string,
    ageHours: number,
    at: Date,
    timeoutMs: number,
): Promise<void> {
    await withTimeout(`PutMetricData ${namespace}/${METRIC_NAME}`, timeoutMs, (abortSignal) =>
        cloudwatch.send(
            new PutMetricDataCommand({
                Namespace: namespace,
                MetricData: [
                    {
                        MetricName: METRIC_NAME,
                        Dimensions: [{ Name: STORE_DIMENSION, Value: store }],
                        Timestamp: at,
                        Value: ageHours,
                        Unit: "None",
                    },
                ],
            }),
            { abortSignal },
        ),
    );
}
