/**
 * The Kinesis template signs requests with SigV4 in Hog. These tests check that signature against an
 * independent node:crypto implementation, and both against AWS's published examples:
 *  - the signing-key example of "Examples of how to derive a signing key for Signature Version 4";
 *  - the `get-vanilla` case of the AWS SigV4 test suite (same example credentials).
 */
import { describe, expect, it } from 'vitest';
import { runFixture } from '../../runner.js';
import { template } from '../template.js';
import { fixtures, ACCESS_KEY_ID, SECRET, SIGNED_BODY } from '../fixtures.js';
import { authorizationHeader, signingKey } from '../sigv4-reference.js';

describe('AWS SigV4 in the Kinesis template', () => {
  it('the node reference derives AWS’s documented signing key', () => {
    expect(signingKey(SECRET, '20120215', 'us-east-1', 'iam').toString('hex')).toBe('f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d');
  });

  it('the node reference reproduces the get-vanilla test-suite signature', () => {
    const { authorization } = authorizationHeader({
      accessKeyId: ACCESS_KEY_ID,
      secret: SECRET,
      region: 'us-east-1',
      service: 'service',
      now: '2015-08-30T12:36:00.000Z',
      method: 'GET',
      host: 'example.amazonaws.com',
      path: '/',
      headers: {},
      body: '',
    });
    expect(authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    );
  });

  it('Hog’s sha256HmacChainHex reproduces the get-vanilla signature', async () => {
    const hog = `let cr := 'GET\\n/\\n\\nhost:example.amazonaws.com\\nx-amz-date:20150830T123600Z\\n\\nhost;x-amz-date\\n' || sha256Hex('')
let sts := 'AWS4-HMAC-SHA256\\n20150830T123600Z\\n20150830/us-east-1/service/aws4_request\\n' || sha256Hex(cr)
return sha256HmacChainHex(['AWS4wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', '20150830', 'us-east-1', 'service', 'aws4_request', sts])`;
    const result = await runFixture({ hog }, { name: 'vanilla', event: { event: 'x' }, inputs: {}, expect: { requests: [] } });
    expect(result.run?.result).toBe('5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31');
  });

  it('the template’s request carries the signature the node reference computes for it', async () => {
    const fixture = fixtures.find((f) => f.name === 'puts the record with an exact SigV4 Authorization header')!;
    const result = await runFixture(template, fixture);
    const request = result.requests[0]!;
    expect(request.body).toBe(SIGNED_BODY);
    const { authorization, amzDate } = authorizationHeader({
      accessKeyId: ACCESS_KEY_ID,
      secret: SECRET,
      region: 'eu-west-1',
      service: 'kinesis',
      now: fixture.now!,
      method: 'POST',
      host: 'kinesis.eu-west-1.amazonaws.com',
      path: '/',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'Kinesis_20131202.PutRecord' },
      body: request.body as string,
    });
    expect(request.headers['X-Amz-Date']).toBe(amzDate);
    expect(request.headers.Authorization).toBe(authorization);
    // …and the fixture pins the same header literally.
    expect(fixture.expect.requests[0]!.headers!.authorization).toBe(authorization);
  });
});
