import type { TemplateDefinition } from '../types.js';

/**
 * BigQuery streaming insert (`tabledata.insertAll`): one row per event, with the event uuid as
 * `insertId` so BigQuery drops a retried duplicate (best effort, for about a minute). BigQuery answers
 * 200 even when it rejects rows, listing them in `insertErrors`: the template fails on those.
 * Authenticated with an OAuth access token (scope bigquery.insertdata or bigquery).
 */
export const template: TemplateDefinition = {
  id: 'template-bigquery',
  name: 'Google BigQuery',
  description:
    'Stream each event as a row into a BigQuery table (tabledata.insertAll, deduplicated by event uuid). The row is built from the Row input; its keys are column names.',
  category: ['Data warehouse'],
  status: 'beta',
  icon_url: '/static/icons/bigquery.svg',
  hog: `let project := trim(toString(inputs.project_id))
let dataset := trim(toString(inputs.dataset_id))
let table := trim(toString(inputs.table_id))
let url := f'https://bigquery.googleapis.com/bigquery/v2/projects/{encodeURLComponent(project)}/datasets/{encodeURLComponent(dataset)}/tables/{encodeURLComponent(table)}/insertAll'

let row := {}
for (let column, value in inputs.row) {
  if (value != null) {
    row[column] := value
  }
}

let res := fetch(url, {
  'method': 'POST',
  'headers': {
    'Authorization': f'Bearer {inputs.access_token}',
    'Content-Type': 'application/json'
  },
  'body': {
    'kind': 'bigquery#tableDataInsertAllRequest',
    'skipInvalidRows': inputs.skip_invalid_rows ?? false,
    'ignoreUnknownValues': inputs.ignore_unknown_values ?? false,
    'rows': [{'insertId': event.uuid, 'json': row}]
  }
})

if (res.status < 200 or res.status >= 300) {
  let detail := typeof(res.body) = 'object' ? (res.body.error.message ?? jsonStringify(res.body)) : res.body
  throw Error(f'BigQuery insertAll error (status {res.status}): {detail}')
}
if (notEmpty(res.body.insertErrors)) {
  let reasons := []
  for (let failure in res.body.insertErrors) {
    for (let e in failure.errors) {
      reasons := arrayPushBack(reasons, notEmpty(e.location) ? f'{e.location}: {e.reason}: {e.message}' : f'{e.reason}: {e.message}')
    }
  }
  let joined := arrayStringConcat(reasons, '; ')
  throw Error(f'BigQuery rejected the row: {joined}')
}
`,
  inputs_schema: [
    {
      key: 'access_token',
      type: 'string',
      label: 'OAuth access token',
      description: 'A Google OAuth access token with the bigquery.insertdata (or bigquery) scope.',
      secret: true,
      templating: false,
      required: true,
    },
    { key: 'project_id', type: 'string', label: 'Project ID', templating: false, required: true },
    { key: 'dataset_id', type: 'string', label: 'Dataset ID', templating: false, required: true },
    { key: 'table_id', type: 'string', label: 'Table ID', templating: false, required: true },
    {
      key: 'row',
      type: 'json',
      label: 'Row',
      description: 'Column names and values. Null values are left out (the column stays NULL). JSON and STRING columns take text, hence jsonStringify for the properties.',
      default: {
        uuid: '{event.uuid}',
        event: '{event.event}',
        distinct_id: '{event.distinct_id}',
        timestamp: '{event.timestamp}',
        properties: '{jsonStringify(event.properties)}',
        person_id: '{person.id}',
      },
      required: true,
    },
    {
      key: 'ignore_unknown_values',
      type: 'boolean',
      label: 'Ignore unknown columns',
      description: 'Accept the row and drop values for columns the table does not have, instead of rejecting it.',
      default: false,
      required: false,
    },
    {
      key: 'skip_invalid_rows',
      type: 'boolean',
      label: 'Skip invalid rows',
      default: false,
      required: false,
    },
  ],
  filters: {
    events: [],
    hog: "event.event != '$feature_flag_called'",
  },
};
