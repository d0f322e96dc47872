/** A function's metrics as series (`GET …/hog_functions/:id/metrics/`). */
import { Type, type Static } from '@sinclair/typebox';
import { ref } from './common.js';

const Interval = Type.Union([Type.Literal('hour'), Type.Literal('day')]);

export const MetricSeries = Type.Object(
  {
    name: Type.String({ description: 'succeeded, failed, filtered, …' }),
    values: Type.Array(Type.Number(), { description: 'One count per label' }),
  },
  { $id: 'MetricSeries' },
);

export const Metrics = Type.Object(
  {
    interval: Interval,
    labels: Type.Array(Type.String(), { description: 'The buckets, oldest first' }),
    series: Type.Array(ref(MetricSeries)),
    totals: Type.Record(Type.String(), Type.Number(), { description: "Each series' sum" }),
  },
  { $id: 'Metrics' },
);

export const MetricsQuery = Type.Object({
  after: Type.Optional(Type.String({ description: 'ISO-8601; default a week before `before`' })),
  before: Type.Optional(Type.String({ description: 'ISO-8601; default an hour from now' })),
  interval: Type.Optional(Type.Union([Type.Literal('hour'), Type.Literal('day')], { default: 'hour' })),
  name: Type.Optional(Type.String({ description: 'Metric names, comma-separated' })),
});

export type MetricSeries = Static<typeof MetricSeries>;
export type Metrics = Static<typeof Metrics>;
