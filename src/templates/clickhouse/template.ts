import type { TemplateDefinition } from '../types.js';

/**
 * ClickHouse HTTP interface (https://clickhouse.com/docs/interfaces/http): `POST <url>/?query=INSERT INTO
 * <table> FORMAT JSONEachRow` with the row as one JSON line in the body, and credentials in the
 * `X-ClickHouse-User` / `X-ClickHouse-Key` headers (not the URL, which servers and proxies log).
 * `date_time_input_format=best_effort` lets DateTime columns take the ISO timestamps events carry. The table
 * name is checked before it is put in the query, so an input cannot inject SQL. Errors come back as plain
 * text (`Code: 60. DB::Exception: …`), which is passed on.
 */
export const template: TemplateDefinition = {
  id: 'template-clickhouse',
  name: 'ClickHouse',
  description: 'Insert each event as a row into a ClickHouse table through the HTTP interface (JSONEachRow).',
  category: ['Data warehouse'],
  status: 'beta',
  icon_url: '/static/icons/clickhouse.svg',
  hog: `let base := trim(inputs.url)
if (not match(base, '^https?://[^/]+')) {
  throw Error('ClickHouse: the URL must be the HTTP interface address, such as https://abc.clickhouse.cloud:8443')
}
if (base like '%/') {
  base := trimRight(base, '/')
}
if (not match(inputs.table, '^[A-Za-z_][A-Za-z0-9_]*([.][A-Za-z_][A-Za-z0-9_]*)?$')) {
  throw Error('ClickHouse: the table must be a plain name or database.table (letters, digits and underscores)')
}
let query := f'INSERT INTO {inputs.table} FORMAT JSONEachRow'
let url := f'{base}/?query={encodeURLComponent(query)}&date_time_input_format=best_effort'
if (inputs.skip_unknown_fields) {
  url := f'{url}&input_format_skip_unknown_fields=1'
}
if (inputs.async_insert) {
  url := f'{url}&async_insert=1&wait_for_async_insert=1'
}
let headers := {'Content-Type': 'application/x-ndjson', 'X-ClickHouse-User': inputs.username}
if (notEmpty(inputs.password)) {
  headers['X-ClickHouse-Key'] := inputs.password
}
let res := fetch(url, {'method': 'POST', 'headers': headers, 'body': f'{jsonStringify(inputs.row)}\\n'})
if (res.status < 200 or res.status >= 300) {
  let detail := res.body
  if (typeof(res.body) = 'string') {
    detail := trim(res.body)
  } else {
    detail := jsonStringify(res.body)
  }
  throw Error(f'ClickHouse error (status {res.status}): {detail}')
}
`,
  inputs_schema: [
    { key: 'url', type: 'string', label: 'HTTP interface URL', description: 'Scheme, host and HTTP port, e.g. https://abc.eu-west-1.aws.clickhouse.cloud:8443 or http://clickhouse:8123.', required: true },
    { key: 'username', type: 'string', label: 'User', default: 'default', templating: false, required: true },
    { key: 'password', type: 'string', label: 'Password', secret: true, templating: false, required: false },
    { key: 'table', type: 'string', label: 'Table', description: 'A table name or database.table; its columns must match the row keys.', default: 'events', templating: false, required: true },
    {
      key: 'row',
      type: 'json',
      label: 'Row',
      description: 'Column → value. Objects go into String or JSON columns.',
      default: { uuid: '{event.uuid}', event: '{event.event}', distinct_id: '{event.distinct_id}', timestamp: '{event.timestamp}', properties: '{event.properties}' },
      required: true,
    },
    { key: 'skip_unknown_fields', type: 'boolean', label: 'Ignore keys without a column', default: false, required: false },
    { key: 'async_insert', type: 'boolean', label: 'Asynchronous insert', description: 'Let ClickHouse batch small inserts server-side (waits for the flush before answering).', default: false, required: false },
  ],
  filters: {
    events: [],
    hog: "event.event != '$feature_flag_called'",
  },
};
