/**
 * AWS Signature Version 4 as a Hog snippet, shared by the templates that call AWS-style APIs (S3, SES).
 * A template puts `${SIGV4_HOG}` at the top of its `hog`, which defines two functions:
 *
 * - `awsUriEncode(text, keepSlash)`: SigV4's URI encoding (every byte but `A-Z a-z 0-9 - . _ ~`), with
 *   `/` kept when `keepSlash` is true (object key paths).
 * - `awsSigV4Headers(request)`: the headers to send, i.e. `request.headers` plus `X-Amz-Date` and
 *   `Authorization`. `request` is `{method, host, path, query, headers, payloadHash, region, service,
 *   accessKeyId, secretAccessKey}`; `path` must already be encoded, `query` canonical (or empty).
 *   Every header given is signed, and `host`, which the HTTP client sends itself.
 *
 * The clock is the runtime's `now()`, so fixtures pin it and get a reproducible signature.
 */
export const SIGV4_HOG = `fun awsUriEncode(text, keepSlash) {
  // encodeURLComponent leaves ! ' ( ) * as they are; SigV4 encodes them too.
  let out := encodeURLComponent(toString(text))
  out := replaceAll(out, '!', '%21')
  out := replaceAll(out, '\\'', '%27')
  out := replaceAll(out, '(', '%28')
  out := replaceAll(out, ')', '%29')
  out := replaceAll(out, '*', '%2A')
  if (keepSlash) {
    out := replaceAll(out, '%2F', '/')
  }
  return out
}

fun awsSigV4Headers(request) {
  let amzDate := formatDateTime(now(), '%Y%m%dT%H%i%SZ')
  let dateStamp := substring(amzDate, 1, 8)

  let signed := {'host': request.host, 'x-amz-date': amzDate}
  for (let name, value in request.headers) {
    signed[lower(trim(name))] := trim(toString(value))
  }
  let names := arraySort(keys(signed))
  let canonicalHeaders := ''
  for (let name in names) {
    canonicalHeaders := f'{canonicalHeaders}{name}:{signed[name]}\\n'
  }
  let signedHeaders := arrayStringConcat(names, ';')

  let canonicalRequest := arrayStringConcat([request.method, request.path, request.query ?? '', canonicalHeaders, signedHeaders, request.payloadHash], '\\n')
  let scope := f'{dateStamp}/{request.region}/{request.service}/aws4_request'
  let stringToSign := arrayStringConcat(['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)], '\\n')
  // The signing key is HMAC'd from the secret through date, region, service and 'aws4_request'.
  let signature := sha256HmacChainHex([f'AWS4{request.secretAccessKey}', dateStamp, request.region, request.service, 'aws4_request', stringToSign])

  let headers := {}
  for (let name, value in request.headers) {
    headers[name] := value
  }
  headers['X-Amz-Date'] := amzDate
  headers['Authorization'] := f'AWS4-HMAC-SHA256 Credential={request.accessKeyId}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}'
  return headers
}
`;
